#!/usr/bin/env python3
"""Deterministic synthesis of the Bounce demo song as multitrack stems.

Regenerate (from the repository root, or from anywhere):

    python3 stems/generate.py            # synthesise all stems, then print a report
    python3 stems/generate.py --check    # only read the existing stems back and report

Requirements: Python 3, numpy, and the PyPI package ``soundfile``
(``pip install soundfile``).  No other dependencies; every filter is written
out below as a plain sample-by-sample recurrence.

The output is deterministic: all randomness comes from numpy generators seeded
from SEED (1234), one generator per stem, so re-running produces identical
sample data.

The song
--------
120 BPM, 4/4, 16 bars of 2.0 s = exactly 32.0 s, key of A minor.
Chord progression, one chord per bar, played four times:

    | Am | F | C | G | Am | F | C | G | Am | F | C | G | Am | F | C | G |

The stems (bar numbers are 1-based on the song timeline; bar n spans
song time 2*(n-1) .. 2*n seconds):

  kick.flac    mono, 48000 Hz, 24-bit FLAC, 32.0 s.  Pitch-swept sine kick
               (~150 -> 50 Hz, exponential decay) with a short click; four on
               the floor in bars 1-16.
  snare.flac   mono, 48000 Hz, 24-bit FLAC, 32.0 s.  Noise burst band-passed
               to ~1-5 kHz plus a 180 Hz body tone; on beats 2 and 4 in
               bars 3-16 (bars 1-2 are silent).
  hats.flac    stereo, 48000 Hz, 16-bit FLAC, 32.0 s.  Closed hi-hats on
               8th notes (high-passed noise, short decay, seeded velocity
               variation, slightly different noise and level per channel);
               bars 1-16.
  bass.wav     mono, 48000 Hz, 16-bit WAV, 32.0 s.  Band-limited saw through
               a two-stage one-pole low-pass with a per-note cutoff envelope,
               8th-note pattern on the chord roots; bars 3-16.
  chords.flac  stereo, 44100 Hz (deliberately a different rate), 16-bit FLAC
               (dropped from 24 to 16 bit to fit the size budget), 32.0 s.
               Pad: each chord tone is a saw built from additive partials
               (a shared centre voice plus a -7 cent voice on the left and a
               +7 cent voice on the right for stereo width), soft
               attack/release that breathes with the bar, gentle low-pass;
               bars 1-16.
  lead.flac    mono, 48000 Hz, 24-bit FLAC, **16.0 s only**.  Sine/triangle
               lead with delayed vibrato and a soft envelope, A minor
               pentatonic, a 2-bar phrase repeated with variation.  Its first
               sample is the downbeat of bar 5 (song time 8.0 s); it covers
               bars 5-12 and ends at song time 24.0 s, so it must be placed
               with an offset of 8.0 s.
  vox.aiff     mono, 48000 Hz, 16-bit AIFF, 32.0 s.  "Vocal-like" line: a
               saw with vibrato through three parallel formant band-passes
               (vowel "ah": 700 / 1220 / 2600 Hz), a slow counter-melody in
               bars 9-16, silent before.

Every stem is DC-free (10 Hz DC blocker; kick and snare hits are blocked
one by one and hats are high-passed, so the gaps between drum hits stay
digitally silent), faded to zero over its last
20 ms and normalised to a fixed sample peak between -6 and -1 dBFS (see
PEAK_DBFS below).  To keep stems/ under 10 MB, kick/snare/lead are 24-bit
FLAC files carrying 20-bit resolution (see RESOLUTION_BITS).

The stems are written with FLAC compression level 8; the audio samples are
bit-identical on every run (the compressed byte size may differ slightly
with another libsndfile/libFLAC version).
"""

import math
import os
import sys

import numpy as np
import soundfile as sf

SEED = 1234
BPM = 120.0
BEAT = 60.0 / BPM          # 0.5 s
BAR = 4 * BEAT             # 2.0 s
BARS = 16
SONG_SECONDS = BARS * BAR  # 32.0 s
SR = 48000
SR_CHORDS = 44100
CHORD_HARMONICS = 8
CHORD_CUTOFF = 950.0

HERE = os.path.dirname(os.path.abspath(__file__))

# One chord per bar, cycled: Am F C G.
PROGRESSION = ["Am", "F", "C", "G"]
CHORD_TONES = {            # pad voicing (MIDI), smooth voice leading
    "Am": [57, 60, 64],    # A3 C4 E4
    "F":  [57, 60, 65],    # A3 C4 F4
    "C":  [55, 60, 64],    # G3 C4 E4
    "G":  [55, 59, 62],    # G3 B3 D4
}
CHORD_ROOT_LOW = {"Am": 45, "F": 41, "C": 48, "G": 43}   # A2 F2 C3 G2 (pad)
BASS_ROOT = {"Am": 33, "F": 29, "C": 36, "G": 31}        # A1 F1 C2 G1

# Target sample peak of each stem (all within -6 .. -1 dBFS).
PEAK_DBFS = {
    "kick": -3.0,
    "snare": -5.0,
    "hats": -5.5,
    "bass": -3.0,
    "chords": -5.0,
    "lead": -4.0,
    "vox": -4.0,
}

# (file name, channels, sample rate, soundfile format, subtype,
#  song-time offset in seconds, length in seconds)
STEMS = [
    ("kick.flac",   1, SR,        "FLAC", "PCM_24", 0.0, SONG_SECONDS),
    ("snare.flac",  1, SR,        "FLAC", "PCM_24", 0.0, SONG_SECONDS),
    ("hats.flac",   2, SR,        "FLAC", "PCM_16", 0.0, SONG_SECONDS),
    ("bass.wav",    1, SR,        "WAV",  "PCM_16", 0.0, SONG_SECONDS),
    ("chords.flac", 2, SR_CHORDS, "FLAC", "PCM_16", 0.0, SONG_SECONDS),
    ("lead.flac",   1, SR,        "FLAC", "PCM_24", 4 * BAR, 8 * BAR),
    ("vox.aiff",    1, SR,        "AIFF", "PCM_16", 0.0, SONG_SECONDS),
]

# Size budget: stems/ must stay under 10 MB, and bass.wav + vox.aiff are
# uncompressed (5.4 MB together).  So the 24-bit FLAC stems below carry
# 20-bit resolution (noise floor about -120 dBFS, the practical limit of
# real 24-bit converters): still 24-bit files, just with the low 4 bits
# zero, which FLAC stores for free.  bass.wav is 16-bit PCM to keep the folder under 10 MB.
RESOLUTION_BITS = {"kick.flac": 20, "snare.flac": 20, "lead.flac": 20}

# Bars (1-based, inclusive) in which each stem is meant to sound.
ACTIVE_BARS = {
    "kick": (1, 16),
    "snare": (3, 16),
    "hats": (1, 16),
    "bass": (3, 16),
    "chords": (1, 16),
    "lead": (5, 12),
    "vox": (9, 16),
}


# --------------------------------------------------------------------------
# Small helpers
# --------------------------------------------------------------------------

def rng_for(index):
    """Independent, reproducible generator for stem number `index`."""
    return np.random.default_rng([SEED, index])


def midi_hz(m):
    return 440.0 * 2.0 ** ((m - 69) / 12.0)


def chord_of_bar(bar):
    """Chord name of 1-based song bar `bar`."""
    return PROGRESSION[(bar - 1) % len(PROGRESSION)]


def song_time(bar, beat=0.0):
    """Song time in seconds of 1-based `bar` plus `beat` quarter notes."""
    return (bar - 1) * BAR + beat * BEAT


def n_samples(seconds, sr):
    return int(round(seconds * sr))


def add_at(buf, start, sig):
    """Mix `sig` into `buf` starting at sample `start` (clipped to buf)."""
    if start >= buf.shape[0]:
        return
    end = min(buf.shape[0], start + sig.shape[0])
    buf[start:end] += sig[: end - start]


def adsr(n, sr, attack, release, gate):
    """Envelope of n samples: sin^2 attack, sustain 1, cos^2 release.

    `gate` is the note-off time in seconds; release follows the gate.
    """
    t = np.arange(n) / sr
    env = np.ones(n)
    if attack > 0:
        a = t < attack
        env[a] = np.sin(0.5 * np.pi * t[a] / attack) ** 2
    r = t >= gate
    if release > 0:
        x = np.clip((t[r] - gate) / release, 0.0, 1.0)
        env[r] *= np.cos(0.5 * np.pi * x) ** 2
    else:
        env[r] = 0.0
    return env


def end_fade(x, sr, seconds):
    """Cosine fade of the last `seconds` of x to exactly zero (finite support)."""
    m = n_samples(seconds, sr)
    ramp = np.cos(0.5 * np.pi * np.arange(1, m + 1) / m) ** 2
    x = x.copy()
    if x.ndim == 1:
        x[-m:] *= ramp
    else:
        x[-m:] *= ramp[:, None]
    return x


def polyblep_saw(freq, sr, phase0=0.0):
    """Band-limited (PolyBLEP) sawtooth in [-1, 1]; `freq` is an array in Hz."""
    dt = np.asarray(freq, dtype=np.float64) / sr
    phase = (phase0 + np.cumsum(dt) - dt[0]) % 1.0
    y = 2.0 * phase - 1.0
    # Correct the discontinuity at phase wrap.
    m = phase < dt
    x = phase[m] / dt[m]
    y[m] -= x + x - x * x - 1.0
    m = phase > 1.0 - dt
    x = (phase[m] - 1.0) / dt[m]
    y[m] -= x * x + x + x + 1.0
    return y


# --------------------------------------------------------------------------
# Filters (plain recurrences, deterministic)
# --------------------------------------------------------------------------

def biquad(x, b0, b1, b2, a1, a2):
    """Direct-form-I biquad: y = (b0 + b1 z^-1 + b2 z^-2) / (1 + a1 z^-1 + a2 z^-2) x."""
    xs = x.tolist()
    ys = [0.0] * len(xs)
    x1 = x2 = y1 = y2 = 0.0
    for i, v in enumerate(xs):
        y = b0 * v + b1 * x1 + b2 * x2 - a1 * y1 - a2 * y2
        x2, x1 = x1, v
        y2, y1 = y1, y
        ys[i] = y
    return np.asarray(ys)


def rbj(kind, f0, q, sr, gain_db=0.0):
    """RBJ audio-EQ-cookbook biquad coefficients, normalised (a0 = 1)."""
    w0 = 2.0 * math.pi * f0 / sr
    cw, sw = math.cos(w0), math.sin(w0)
    alpha = sw / (2.0 * q)
    if kind == "lowpass":
        b = [(1 - cw) / 2, 1 - cw, (1 - cw) / 2]
    elif kind == "highpass":
        b = [(1 + cw) / 2, -(1 + cw), (1 + cw) / 2]
    elif kind == "bandpass":          # constant 0 dB peak gain
        b = [alpha, 0.0, -alpha]
    else:
        raise ValueError(kind)
    a = [1 + alpha, -2 * cw, 1 - alpha]
    return (b[0] / a[0], b[1] / a[0], b[2] / a[0], a[1] / a[0], a[2] / a[0])


def filt(x, kind, f0, q, sr):
    return biquad(x, *rbj(kind, f0, q, sr))


def dc_block(x, sr, fc=10.0):
    """One-pole/one-zero DC blocker: y[n] = x[n] - x[n-1] + R y[n-1]."""
    r = math.exp(-2.0 * math.pi * fc / sr)
    xs = x.tolist()
    ys = [0.0] * len(xs)
    xp = yp = 0.0
    for i, v in enumerate(xs):
        yp = v - xp + r * yp
        xp = v
        ys[i] = yp
    return np.asarray(ys)


def onepole_lowpass_tv(x, cutoff_hz, sr):
    """One-pole low-pass with a time-varying cutoff (array, Hz)."""
    g = (1.0 - np.exp(-2.0 * np.pi * np.asarray(cutoff_hz) / sr)).tolist()
    xs = x.tolist()
    ys = [0.0] * len(xs)
    s = 0.0
    for i, v in enumerate(xs):
        s += g[i] * (v - s)
        ys[i] = s
    return np.asarray(ys)


# --------------------------------------------------------------------------
# Instruments
# --------------------------------------------------------------------------

def make_kick():
    rng = rng_for(1)
    n = n_samples(SONG_SECONDS, SR)
    out = np.zeros(n)

    length = n_samples(0.24, SR)
    t = np.arange(length) / SR
    freq = 48.0 + 105.0 * np.exp(-t / 0.03)             # ~153 Hz -> 48 Hz
    phase = 2.0 * np.pi * np.cumsum(freq) / SR
    body = np.sin(phase - phase[0])
    amp = np.exp(-t / 0.085) * np.clip(t / 0.0008, 0.0, 1.0)   # sub-ms attack
    click_noise = rng.standard_normal(length)
    click = filt(click_noise, "bandpass", 3000.0, 0.9, SR) * np.exp(-t / 0.0025)
    click += 0.5 * np.sin(2 * np.pi * 1200.0 * t) * np.exp(-t / 0.004)
    hit = amp * body + 0.18 * click
    hit = end_fade(dc_block(hit, SR), SR, 0.06)

    for bar in range(1, 17):
        for beat in range(4):
            add_at(out, n_samples(song_time(bar, beat), SR), hit)
    return out


def make_snare():
    rng = rng_for(2)
    n = n_samples(SONG_SECONDS, SR)
    out = np.zeros(n)

    length = n_samples(0.17, SR)
    t = np.arange(length) / SR
    f = 180.0 + 40.0 * np.exp(-t / 0.015)
    body = np.sin(2 * np.pi * np.cumsum(f) / SR) * np.exp(-t / 0.04)
    body *= np.clip(t / 0.001, 0.0, 1.0)
    nenv = np.exp(-t / 0.038) * np.clip(t / 0.0015, 0.0, 1.0)

    for bar in range(3, 17):
        for beat in (1, 3):                       # beats 2 and 4
            vel = 1.0 + 0.04 * rng.uniform(-1.0, 1.0)
            noise = rng.standard_normal(length)
            noise = filt(noise, "highpass", 1000.0, 0.7071, SR)
            noise = filt(noise, "lowpass", 5000.0, 0.7071, SR)
            noise = filt(noise, "highpass", 1000.0, 0.7071, SR)   # steeper low edge
            hit = dc_block(vel * (0.55 * body + 0.9 * nenv * noise), SR)
            add_at(out, n_samples(song_time(bar, beat), SR), end_fade(hit, SR, 0.045))
    return out


def make_hats():
    rng = rng_for(3)
    n = n_samples(SONG_SECONDS, SR)
    out = np.zeros((n, 2))

    length = n_samples(0.04, SR)
    t = np.arange(length) / SR
    env = np.exp(-t / 0.010) * np.clip(t / 0.0005, 0.0, 1.0)

    for bar in range(1, 17):
        for eighth in range(8):
            accent = 0.6 if eighth % 2 == 0 else 1.0         # off-beats lean
            vel = accent * (1.0 + 0.12 * rng.uniform(-1.0, 1.0))
            pan = 0.08 * rng.uniform(-1.0, 1.0)              # slight L/R wobble
            common = rng.standard_normal(length)
            hit = np.zeros((length, 2))
            for c, side in enumerate((1.0 - pan, 1.0 + pan)):
                x = common + 0.25 * rng.standard_normal(length)  # mostly shared noise
                x = filt(x, "highpass", 7000.0, 0.7071, SR)
                x = filt(x, "highpass", 7000.0, 0.7071, SR)
                x = filt(x, "lowpass", 15000.0, 0.7071, SR)  # tame the very top
                hit[:, c] = end_fade(vel * side * env * x, SR, 0.015)
            add_at(out, n_samples(song_time(bar, 0.5 * eighth), SR), hit)
    return out


def make_bass():
    rng = rng_for(4)
    n = n_samples(SONG_SECONDS, SR)
    osc = np.zeros(n)
    cutoff = np.full(n, 200.0)

    eighth = 0.5 * BEAT
    gate = 0.72 * eighth
    length = n_samples(eighth + 0.05, SR)
    t = np.arange(length) / SR

    for bar in range(3, 17):
        chord = chord_of_bar(bar)
        root = BASS_ROOT[chord]
        #            1    &    2      &    3    &      4    &
        pattern = [root, root, root + 12, root, root, root + 12, root, root]
        if chord == "G":
            pattern[7] = 35                       # B1, walks up to A
        if bar == 16:
            pattern[7] = root + 12
        for k, note in enumerate(pattern):
            s = n_samples(song_time(bar, 0.5 * k), SR)
            f = np.full(length, midi_hz(note))
            saw = polyblep_saw(f, SR, phase0=rng.uniform())
            env = adsr(length, SR, attack=0.003, release=0.03, gate=gate)
            vel = (1.0 if k % 2 == 0 else 0.82) * (1.0 + 0.03 * rng.uniform(-1, 1))
            add_at(osc, s, vel * env * saw)
            # Filter envelope: bright pluck that closes quickly.
            fc = 220.0 + 1500.0 * np.exp(-t / 0.06) * vel
            e = min(n, s + length)
            cutoff[s:e] = fc[: e - s]

    y = onepole_lowpass_tv(osc, cutoff, SR)
    y = onepole_lowpass_tv(y, cutoff * 1.5, SR)
    return y


def additive_saw(f0, n, sr, phases, cutoff):
    """Saw-like tone from its first len(phases) harmonics (1/k amplitudes),
    each weighted by a 4th-order low-pass magnitude response at `cutoff`."""
    t = np.arange(n) / sr
    y = np.zeros(n)
    for k, ph in enumerate(phases, start=1):
        fk = k * f0
        if fk > 0.45 * sr:
            break
        g = (1.0 / k) / math.sqrt(1.0 + (fk / cutoff) ** 8)
        y += g * np.sin(2.0 * np.pi * fk * t + ph)
    return y


def make_chords():
    rng = rng_for(5)
    sr = SR_CHORDS
    n = n_samples(SONG_SECONDS, sr)
    left = np.zeros(n)
    right = np.zeros(n)

    # Each chord swells in, holds, and releases just before the next bar,
    # leaving a short breath (the pad "breathes" with the bar).
    attack, release = 0.18, 0.35
    for bar in range(1, 17):
        chord = chord_of_bar(bar)
        notes = [(m, 1.0) for m in CHORD_TONES[chord]]
        notes.append((CHORD_ROOT_LOW[chord], 0.5))
        start = song_time(bar)
        hold = BAR - 0.65
        length = n_samples(hold + release, sr)
        env = adsr(length, sr, attack=attack, release=release, gate=hold)
        s = n_samples(start, sr)
        for m, gain in notes:
            f0 = midi_hz(m)
            # A shared centre voice plus one detuned voice per side
            # (-7 cents left, +7 cents right) spreads the pad in stereo.
            phases = rng.uniform(0.0, 2.0 * np.pi, CHORD_HARMONICS)
            centre = additive_saw(f0, length, sr, phases, CHORD_CUTOFF)
            for side, cents in ((left, -7.0), (right, 7.0)):
                phases = rng.uniform(0.0, 2.0 * np.pi, CHORD_HARMONICS)
                voice = additive_saw(f0 * 2.0 ** (cents / 1200.0), length, sr,
                                     phases, CHORD_CUTOFF)
                add_at(side, s, gain * env * (centre + 0.6 * voice) / 1.6)

    chans = []
    for x in (left, right):
        x = filt(x, "lowpass", 2500.0, 0.6, sr)            # gentle extra low-pass
        chans.append(x)
    return np.stack(chans, axis=1)


# Lead phrases: (beat offset within the 2-bar phrase, MIDI note, beats).
A4, C5, D5, E5, G5, A5, G4 = 69, 72, 74, 76, 79, 81, 67
LEAD_PHRASES = [
    # bars 5-6 (Am | F)
    [(0, E5, 1), (1, G5, .5), (1.5, E5, .5), (2, D5, .5), (2.5, C5, .5), (3, A4, 1),
     (4, C5, 1), (5, A4, .5), (5.5, C5, .5), (6, D5, 1)],
    # bars 7-8 (C | G)
    [(0, E5, 1), (1, G5, .5), (1.5, E5, .5), (2, D5, .5), (2.5, C5, .5), (3, E5, 1),
     (4, D5, 1), (5, C5, .5), (5.5, A4, .5), (6, G4, 1)],
    # bars 9-10 (Am | F): variation, reaching up to A5
    [(0, E5, 1), (1, A5, .5), (1.5, G5, .5), (2, E5, .5), (2.5, D5, .5), (3, C5, 1),
     (4, C5, .5), (4.5, D5, .5), (5, E5, .5), (5.5, C5, .5), (6, A4, 1)],
    # bars 11-12 (C | G): answer; every phrase leaves a one-beat breath at the end
    [(0, E5, 1), (1, G5, .5), (1.5, E5, .5), (2, D5, .5), (2.5, C5, .5), (3, E5, 1),
     (4, D5, 1.5), (5.5, C5, .5), (6, D5, 1)],
]


def make_lead():
    """Lead stem; sample 0 is the downbeat of song bar 5 (song time 8.0 s)."""
    rng = rng_for(6)
    n = n_samples(8 * BAR, SR)
    out = np.zeros(n)
    release = 0.12
    for p, phrase in enumerate(LEAD_PHRASES):
        for beat, note, beats in phrase:
            start = (2 * p) * BAR + beat * BEAT               # stem-local time
            dur = beats * BEAT * 0.85                      # slightly detached
            length = n_samples(dur + release, SR)
            t = np.arange(length) / SR
            f0 = midi_hz(note)
            depth = 0.0045 * np.clip((t - 0.12) / 0.2, 0.0, 1.0)   # ~8 cents
            vib = 1.0 + depth * np.sin(2 * np.pi * 5.3 * t + rng.uniform(0, 2 * np.pi))
            phase = 2.0 * np.pi * np.cumsum(f0 * vib) / SR
            phase -= phase[0]
            # Sine plus the first triangle overtone and a touch of 2nd harmonic.
            tone = np.sin(phase) - 0.08 * np.sin(3 * phase) + 0.06 * np.sin(2 * phase)
            env = adsr(length, SR, attack=0.025, release=release, gate=dur)
            env *= 0.85 + 0.15 * np.exp(-t / 0.25)          # gentle decay
            vel = 1.0 + 0.05 * rng.uniform(-1, 1)
            add_at(out, n_samples(start, SR), vel * env * tone)
    return out


# Vox counter-melody: (song bar, beat, MIDI note, beats).
VOX_NOTES = [
    (9, 0, 64, 2), (9, 2, 60, 2),                     # Am: E4 C4
    (10, 0, 57, 3), (10, 3, 60, 1),                   # F:  A3 . . C4
    (11, 0, 64, 2), (11, 2, 67, 2),                   # C:  E4 G4
    (12, 0, 62, 4),                                   # G:  D4
    (13, 0, 69, 2), (13, 2, 67, 1), (13, 3, 64, 1),   # Am: A4 G4 E4
    (14, 0, 65, 2), (14, 2, 64, 1), (14, 3, 60, 1),   # F:  F4 E4 C4
    (15, 0, 64, 2), (15, 2, 67, 1), (15, 3, 64, 1),   # C:  E4 G4 E4
    (16, 0, 62, 3),                                   # G:  D4 (and breathe)
]
FORMANTS = [(700.0, 8.0, 1.0), (1220.0, 10.0, 0.5), (2600.0, 14.0, 0.2)]  # Hz, Q, gain


def make_vox():
    rng = rng_for(7)
    n = n_samples(SONG_SECONDS, SR)
    src = np.zeros(n)
    release = 0.14
    for bar, beat, note, beats in VOX_NOTES:
        start = song_time(bar, beat)
        dur = beats * BEAT - 0.04
        length = n_samples(dur + release, SR)
        t = np.arange(length) / SR
        depth = 0.008 * np.clip((t - 0.2) / 0.3, 0.0, 1.0)      # ~14 cents
        f = midi_hz(note) * (1.0 + depth * np.sin(2 * np.pi * 5.0 * t + rng.uniform(0, 6.28)))
        f *= 1.0 - 0.01 * np.exp(-t / 0.05)                     # tiny scoop into pitch
        saw = polyblep_saw(f, SR, phase0=rng.uniform())
        breath = 0.04 * rng.standard_normal(length)
        env = adsr(length, SR, attack=0.07, release=release, gate=dur)
        add_at(src, n_samples(start, SR), env * (saw + breath))

    y = np.zeros(n)
    for fc, q, gain in FORMANTS:
        y += gain * filt(src, "bandpass", fc, q, SR)
    y = filt(y, "lowpass", 5000.0, 0.7071, SR)
    return y


# --------------------------------------------------------------------------
# Finishing, writing, checking
# --------------------------------------------------------------------------

def finish(x, sr, peak_dbfs, dc=True):
    """DC-block (unless the hits were already DC-free), fade the last 20 ms
    to zero, normalise to `peak_dbfs`.  x is (samples, channels)."""
    if dc:
        x = np.stack([dc_block(x[:, c], sr) for c in range(x.shape[1])], axis=1)
    fade = n_samples(0.020, sr)
    ramp = np.cos(0.5 * np.pi * np.arange(1, fade + 1) / fade) ** 2   # ends at 0
    x[-fade:, :] *= ramp[:, None]
    x *= 10.0 ** (peak_dbfs / 20.0) / np.max(np.abs(x))
    return x


def quantise(x, subtype, resolution=24):
    """Float [-1, 1) -> integer array that soundfile writes bit-exactly.

    For PCM_24, `resolution` < 24 rounds to a coarser grid (the low
    24 - resolution bits are zero; FLAC stores them as "wasted bits")."""
    if subtype == "PCM_16":
        q = np.clip(np.round(x * 32768.0), -32768, 32767).astype(np.int16)
    elif subtype == "PCM_24":
        step = 2 ** (24 - resolution)
        q = np.round(x * (8388608.0 / step)) * step
        q = np.clip(q, -8388608, 8388608 - step).astype(np.int32)
        q = q * 256            # soundfile's int32 path keeps the top 24 bits
    else:
        raise ValueError(subtype)
    return q


def write_stem(name, data, sr, fmt, subtype):
    path = os.path.join(HERE, name)
    q = quantise(data, subtype, RESOLUTION_BITS.get(name, 24))
    if q.shape[1] == 1:
        q = q[:, 0]
    extra = {"compression_level": 1.0} if fmt == "FLAC" else {}   # FLAC level 8
    sf.write(path, q, sr, format=fmt, subtype=subtype, **extra)
    return path


MAKERS = {
    "kick": make_kick,
    "snare": make_snare,
    "hats": make_hats,
    "bass": make_bass,
    "chords": make_chords,
    "lead": make_lead,
    "vox": make_vox,
}


def generate():
    for name, ch, sr, fmt, subtype, offset, seconds in STEMS:
        key = name.split(".")[0]
        x = MAKERS[key]()
        x = x[:, None] if x.ndim == 1 else x
        assert x.shape == (n_samples(seconds, sr), ch), (name, x.shape)
        # Kick/snare hits are DC-blocked one by one and hats are high-passed,
        # which keeps the gaps between drum hits digitally silent.
        x = finish(x, sr, PEAK_DBFS[key], dc=key not in ("kick", "snare", "hats"))
        write_stem(name, x, sr, fmt, subtype)
        print("wrote", name, flush=True)


def db(v):
    return 20.0 * math.log10(v) if v > 0 else float("-inf")


def check():
    """Read every stem back and report format, peak and per-bar RMS."""
    ok = True
    total = 0
    print()
    print("%-12s %3s %6s %-5s %-7s %8s %7s %9s" %
          ("file", "ch", "rate", "fmt", "subtype", "seconds", "offset", "peak dBFS"))
    rms_rows = []
    for name, ch, sr, fmt, subtype, offset, seconds in STEMS:
        key = name.split(".")[0]
        path = os.path.join(HERE, name)
        info = sf.info(path)
        data, rate = sf.read(path, dtype="float64", always_2d=True)
        total += os.path.getsize(path)
        dur = data.shape[0] / rate
        peak = db(np.max(np.abs(data)))
        print("%-12s %3d %6d %-5s %-7s %8.4f %7.1f %9.2f" %
              (name, info.channels, rate, info.format, info.subtype, dur, offset, peak))
        ok &= (info.channels == ch and rate == sr and info.format == fmt
               and info.subtype == subtype and abs(dur - seconds) < 1e-9
               and -6.0 <= peak <= -1.0)
        ok &= bool(np.all(data[-1] == 0.0))                   # faded to zero
        ok &= bool(np.all(np.abs(data.mean(axis=0)) < 1e-3))  # no DC
        # Per-bar RMS on the song timeline (dBFS, '   .' = digital silence).
        row = []
        first, last = ACTIVE_BARS[key]
        for bar in range(1, BARS + 1):
            a = n_samples(song_time(bar) - offset, rate)
            b = n_samples(song_time(bar + 1) - offset, rate)
            if b <= 0 or a >= data.shape[0]:
                row.append(None)
                continue
            seg = data[max(a, 0):min(b, data.shape[0])]
            r = math.sqrt(float(np.mean(seg ** 2)))
            row.append(db(r))
            active = first <= bar <= last
            ok &= (r > 10 ** (-40 / 20)) if active else (r == 0.0)
        rms_rows.append((key, row))
    print()
    print("per-bar RMS, dBFS on the song timeline ('-' = outside the file, 'sil' = digital silence)")
    print("%-7s" % "bar" + "".join("%5d" % b for b in range(1, BARS + 1)))
    for key, row in rms_rows:
        cells = []
        for v in row:
            if v is None:
                cells.append("%5s" % "-")
            elif v == float("-inf"):
                cells.append("%5s" % "sil")
            else:
                cells.append("%5.0f" % v)
        print("%-7s" % key + "".join(cells))
    print()
    print("total size of stem audio: %d bytes (%.2f MiB)" % (total, total / 2 ** 20))
    print("CHECK", "OK" if ok else "FAILED")
    return ok


def write_impulse_response():
    """plate-ir.flac: a synthetic plate-like impulse response for the demo's convolution reverb.

    Stereo, 44.1 kHz (deliberately not the session rate), 16-bit FLAC, 1.6 s: decorrelated seeded noise with an
    exponential decay (RT60 1.4 s), darker as it decays (a one-pole low-pass whose cutoff falls over time),
    a 10 ms fade-in and a short fade-out.
    """
    rng = np.random.default_rng(4321)
    sr = 44100
    n = int(1.6 * sr)
    t = np.arange(n) / sr
    envelope = 10 ** (-3 * t / 1.4)  # -60 dB after 1.4 s
    envelope *= np.minimum(1.0, t / 0.010)
    envelope *= np.minimum(1.0, (t[-1] - t) / 0.050 + 1e-9)
    out = np.zeros((n, 2))
    for ch in range(2):
        noise = rng.standard_normal(n)
        y = np.zeros(n)
        state = 0.0
        for i in range(n):
            # Cutoff falls from ~9 kHz to ~2 kHz: a = exp(-2*pi*fc/sr).
            fc = 9000.0 * (1 - t[i] / 1.6) + 2000.0 * (t[i] / 1.6)
            a = math.exp(-2 * math.pi * fc / sr)
            state = (1 - a) * noise[i] + a * state
            y[i] = state
        out[:, ch] = y * envelope
    out *= 0.5 / np.max(np.abs(out))
    path = os.path.join(HERE, "plate-ir.flac")
    sf.write(path, out, sr, format="FLAC", subtype="PCM_16")
    print("wrote plate-ir.flac (%d frames at %d Hz, stereo)" % (n, sr))


def main(argv):
    if "--check" not in argv:
        generate()
        write_impulse_response()
    return 0 if check() else 1


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
