# Fits tanh(x) ≈ x·P(x²)/Q(x²) for |x| ≤ X (then clamped), P of degree 6 and Q of degree 3 in u = x², minimising
# the absolute error of tanh by Sanathanan–Koerner iteration with Lawson weights, in a Chebyshev basis for
# conditioning; converts to monomials and checks the error of a float32 Horner evaluation.
import numpy as np
from numpy.polynomial import chebyshev as C, polynomial as Pm
X = 7.90531110763549805
U = X * X
x = np.unique(np.concatenate([np.linspace(0, X, 40001), X * np.sin(np.linspace(0, np.pi / 2, 40001))]))
f = np.tanh(x); u = x * x; t = 2 * u / U - 1
NP, NQ = 7, 4
TP = C.chebvander(t, NP - 1); TQ = C.chebvander(t, NQ - 1)
w = np.ones_like(x); Qprev = np.ones_like(x)
best = (1, None)
for it in range(200):
    # unknowns: a (P coefs), b1.. (Q coefs except b0 = 1)
    A = np.hstack([x[:, None] * TP, -f[:, None] * TQ[:, 1:]])
    rhs = f * TQ[:, 0]
    W = w / np.abs(Qprev)
    sol, *_ = np.linalg.lstsq(A * W[:, None], rhs * W, rcond=None)
    a = sol[:NP]; b = np.concatenate([[1.0], sol[NP:]])
    Q = TQ @ b
    err = x * (TP @ a) / Q - f
    Qprev = Q
    m = np.abs(err).max()
    if m < best[0]: best = (m, (a.copy(), b.copy()))
    if it > 20:
        w = w * (np.abs(err) / m) ** 0.3 + 1e-9
        w /= w.max()
m, (a, b) = best
print("max abs error (double):", m)
# Chebyshev in t = 2u/U − 1 → monomials in u.
def to_u(coef):
    mono_t = C.cheb2poly(coef)
    # substitute t = 2u/U - 1
    res = np.zeros(len(mono_t))
    for k, c in enumerate(mono_t):
        res[:k + 1] += c * Pm.polypow([-1.0, 2.0 / U], k)[:k + 1]
    return res
p, q = to_u(a), to_u(b)
p, q = p / q[0], q / q[0]
p32, q32 = p.astype(np.float32), q.astype(np.float32)
xs = np.linspace(-12, 12, 4000001).astype(np.float32)
c = np.clip(xs, np.float32(-X), np.float32(X)); uu = c * c
P = np.float32(0)
for k in reversed(range(NP)): P = np.float32(P * uu + p32[k])
Qv = np.float32(0)
for k in reversed(range(NQ)): Qv = np.float32(Qv * uu + q32[k])
y = (c * P / Qv).astype(np.float32)
e = np.abs(y.astype(np.float64) - np.tanh(xs.astype(np.float64)))
print("max abs error (float32 Horner, |x| ≤ 12):", e.max())
small = np.abs(xs) < 1e-2
print("max relative error |x| < 0.01:", (np.abs(y[small] - np.tanh(xs[small].astype(np.float64))) / np.maximum(np.abs(xs[small]), 1e-30)).max())
print("monotone:", bool(np.all(np.diff(y) >= 0)), "max |y|:", np.abs(y).max())
print("p =", ", ".join(repr(float(v)) for v in p))
print("q =", ", ".join(repr(float(v)) for v in q))
