import Foundation

/// Runs one block's node evaluations in an order that respects the plan's dependencies.
///
/// Schedulers decide only *when* a node runs, never *what* it computes: every node reads finished input buffers
/// and writes only its own, and every sum runs inside its consumer in plan order. So the serial and the parallel
/// scheduler produce the same bits.
protocol BlockScheduler: AnyObject {
    /// Evaluates every node once; `evaluate(node)` is called only after all of the node's inputs have finished.
    func run(_ evaluate: @escaping @Sendable (Int) -> Void)
}

/// The reference: nodes in plan (topological) order on the calling thread.
final class SerialScheduler: BlockScheduler {
    let nodeCount: Int

    init(nodeCount: Int) { self.nodeCount = nodeCount }

    func run(_ evaluate: @escaping @Sendable (Int) -> Void) {
        for node in 0..<nodeCount { evaluate(node) }
    }
}

/// Evaluates independent nodes concurrently on dedicated threads (not Swift's cooperative pool, whose threads must
/// never block). Each node has a count of unfinished inputs; finishing a node decrements its dependents' counts and
/// makes those that reach zero ready. The calling thread works too, so `jobs` threads run in all.
///
/// Ready nodes are taken lowest index first, which keeps the plan order as the preferred order; a worker that
/// finishes a node and makes exactly one successor ready continues with it itself (a chain stays on one core).
final class ParallelScheduler: BlockScheduler, @unchecked Sendable {
    private let dependents: [[Int]]
    private let inputCounts: [Int]
    private var pending: [Int]
    private var ready: [Int] = []
    private var unfinished = 0
    private var evaluate: (@Sendable (Int) -> Void)?
    private var stopping = false
    private let condition = NSCondition()

    /// - Parameter inputs: for each node, the nodes it reads (any order, duplicates allowed).
    /// Worker threads run until `shutdown()`.
    init(inputs: [[Int]], jobs: Int) {
        var dependents = [[Int]](repeating: [], count: inputs.count)
        var counts = [Int](repeating: 0, count: inputs.count)
        for (node, sources) in inputs.enumerated() {
            for source in Set(sources).sorted() {
                dependents[source].append(node)
                counts[node] += 1
            }
        }
        self.dependents = dependents
        inputCounts = counts
        pending = counts
        ready.reserveCapacity(inputs.count)
        for index in 0..<max(0, jobs - 1) {
            // The thread keeps the scheduler alive until it has seen `stopping`.
            let thread = Thread { self.workerLoop() }
            thread.name = "bounce-worker-\(index + 1)"
            thread.start()
        }
    }

    /// Ends the worker threads (each finishes and exits). Call once rendering is over.
    func shutdown() {
        condition.lock()
        stopping = true
        condition.broadcast()
        condition.unlock()
    }

    func run(_ evaluate: @escaping @Sendable (Int) -> Void) {
        condition.lock()
        self.evaluate = evaluate
        pending = inputCounts
        ready.removeAll(keepingCapacity: true)
        // Roots, highest index first, so that popLast() takes the lowest.
        for node in stride(from: inputCounts.count - 1, through: 0, by: -1) where inputCounts[node] == 0 {
            ready.append(node)
        }
        unfinished = inputCounts.count
        condition.broadcast()
        condition.unlock()
        work(until: { self.unfinished == 0 })
        condition.lock()
        self.evaluate = nil
        condition.unlock()
    }

    private func workerLoop() {
        while true {
            condition.lock()
            while !stopping && ready.isEmpty { condition.wait() }
            if stopping { condition.unlock(); return }
            condition.unlock()
            work(until: { self.ready.isEmpty })
        }
    }

    /// Takes ready nodes and evaluates them; returns when `done()` holds (checked under the lock).
    private func work(until done: @escaping () -> Bool) {
        condition.lock()
        while true {
            if done() { condition.unlock(); return }
            guard let node = ready.popLast() else {
                condition.wait()
                continue
            }
            let evaluate = self.evaluate!
            condition.unlock()
            var current = node
            while true {
                evaluate(current)
                condition.lock()
                unfinished -= 1
                var next: Int?
                var newlyReady = 0
                for dependent in dependents[current] {
                    pending[dependent] -= 1
                    if pending[dependent] == 0 {
                        newlyReady += 1
                        if next == nil { next = dependent } else { insertReady(dependent) }
                    }
                }
                if newlyReady > 1 || unfinished == 0 { condition.broadcast() }
                guard let chained = next else { break }
                condition.unlock()
                current = chained
            }
        }
    }

    /// Keeps `ready` sorted descending so `popLast()` yields the lowest index.
    private func insertReady(_ node: Int) {
        var index = ready.count
        while index > 0 && ready[index - 1] < node { index -= 1 }
        ready.insert(node, at: index)
    }
}
