import Foundation

/// Runs a render's node evaluations, block after block, in an order that respects the plan's dependencies.
///
/// Schedulers decide only *when* a node runs, never *what* it computes: every node reads finished input buffers
/// and writes only its own, and every sum runs inside its consumer in plan order. So the serial and the parallel
/// scheduler produce the same bits.
///
/// A render is `blocks` blocks of every node plus, after each block, the *finish* step (handing the outputs'
/// block to the writers). `evaluate(node, block)` returns false when the node failed: no block after that one is
/// started, but every node still finishes the failed block, so the render can report the first failure in plan
/// order whatever thread hit it. `finish(block)` returning false stops the render after that block.
protocol BlockScheduler: AnyObject {
    func render(blocks: Int, evaluate: @escaping @Sendable (_ node: Int, _ block: Int) -> Bool,
                finish: @escaping @Sendable (_ block: Int) -> Bool)
}

/// The reference: for each block, the nodes in plan (topological) order on the calling thread, then `finish`.
final class SerialScheduler: BlockScheduler {
    let nodeCount: Int

    init(nodeCount: Int) { self.nodeCount = nodeCount }

    func render(blocks: Int, evaluate: @escaping @Sendable (Int, Int) -> Bool, finish: @escaping @Sendable (Int) -> Bool) {
        for block in 0..<blocks {
            var ok = true
            for node in 0..<nodeCount where !evaluate(node, block) { ok = false }
            if !finish(block) || !ok { return }
        }
    }
}

/// Evaluates independent work concurrently on dedicated threads (not Swift's cooperative pool, whose threads must
/// never block), without a barrier between blocks: a node may start block k + 1 while nodes further down the graph
/// are still on block k. Each node holds one block of output, so node n may run block k when
///
/// * it has finished block k − 1 (a node's blocks run in order, one at a time),
/// * every node it reads (inputs, sends, sidechain keys) has finished block k, and
/// * every node that reads it has finished block k − 1 (nobody still needs the buffer it is about to overwrite).
///
/// `finish(k)` is one more node, after every node's block k; of the nodes, only the outputs wait for it.
///
/// Ready work is taken lowest (block, node) first, which keeps the pipeline short and the plan order as the
/// preferred order; a thread that makes a reader of its node ready in the same block takes it itself, so the
/// block it just wrote is read while still in its cache. The calling thread works too: `jobs` threads in all.
/// Waiting is rare (a thread sleeps only when nothing at all is ready), which is what the per-block barrier of
/// a simpler scheduler cost: two sleeps and wake-ups per block and an idle core at the end of every block.
final class ParallelScheduler: BlockScheduler, @unchecked Sendable {
    /// Nodes each node reads (deduplicated); the finish node reads every node.
    private let reads: [[Int]]
    /// Nodes that read each node's buffers (the finish node only for outputs).
    private let readers: [[Int]]
    private let finishNode: Int
    /// Nodes the finish step must be checked after, beyond the outputs (see `init`).
    private let unwatched: [Bool]

    // Render state, guarded by `condition`.
    private var done: [Int] = []  // blocks finished per node
    private var queued: [Bool] = []  // ready or running
    private var ready = ReadyQueue()
    private var blocks = 0
    private var limit = Int.max  // last block that may start (a failure stops the render after its block)
    private var running = 0
    private var evaluate: (@Sendable (Int, Int) -> Bool)?
    private var finish: (@Sendable (Int) -> Bool)?
    private var active = false
    private var sleepers = 0
    private var stopping = false
    private let condition = NSCondition()

    /// - Parameters:
    ///   - reads: for each node, the nodes whose buffers it reads (any order, duplicates allowed).
    ///   - outputs: the nodes whose buffers `finish` reads.
    /// Worker threads run until `shutdown()`.
    init(reads nodeReads: [[Int]], outputs: [Int], jobs: Int) {
        let count = nodeReads.count
        finishNode = count
        var reads = nodeReads.map { Array(Set($0)).sorted() }
        reads.append(Array(0..<count))
        var readers = [[Int]](repeating: [], count: count + 1)
        for (node, sources) in reads.enumerated() where node < count {
            for source in sources { readers[source].append(node) }
        }
        for output in Set(outputs).sorted() { readers[output].append(count) }
        self.reads = reads
        self.readers = readers
        // Nodes no output depends on (none in a compiled plan, but nothing here relies on that): their
        // completion must look at the finish step too, as no output's completion comes after theirs.
        var feedsOutput = [Bool](repeating: false, count: count)
        var stack = Array(Set(outputs))
        while let node = stack.popLast() {
            if feedsOutput[node] { continue }
            feedsOutput[node] = true
            stack += reads[node]
        }
        unwatched = feedsOutput.map { !$0 }
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

    func render(blocks: Int, evaluate: @escaping @Sendable (Int, Int) -> Bool, finish: @escaping @Sendable (Int) -> Bool) {
        guard blocks > 0 else { return }
        condition.lock()
        self.blocks = blocks
        self.evaluate = evaluate
        self.finish = finish
        done = [Int](repeating: 0, count: reads.count)
        queued = [Bool](repeating: false, count: reads.count)
        ready.removeAll()
        limit = Int.max
        running = 0
        for node in 0..<reads.count { enqueueIfReady(node) }
        active = true
        condition.broadcast()
        work(caller: true)  // returns with the lock held once nothing is left to start and nothing runs
        active = false
        self.evaluate = nil
        self.finish = nil
        condition.unlock()
    }

    private func workerLoop() {
        condition.lock()
        while true {
            while !stopping && !(active && !ready.isEmpty) {
                sleepers += 1
                condition.wait()
                sleepers -= 1
            }
            if stopping { condition.unlock(); return }
            work(caller: false)
        }
    }

    /// Runs ready work until the render is over (`caller`) or nothing is ready (a worker). Called and returns with
    /// the lock held.
    private func work(caller: Bool) {
        var next = nextReady()
        while true {
            guard let (block, node) = next else {
                if running == 0 {
                    // Over: everything ran, or a failure's limit left nothing startable.
                    condition.broadcast()
                    return
                }
                if !caller { return }
                sleepers += 1
                condition.wait()
                sleepers -= 1
                next = nextReady()
                continue
            }
            running += 1
            let evaluate = self.evaluate!, finish = self.finish!
            condition.unlock()
            let ok = node == finishNode ? finish(block) : evaluate(node, block)
            condition.lock()
            running -= 1
            done[node] = block + 1
            queued[node] = false
            if !ok { limit = min(limit, node == finishNode ? block - 1 : block) }
            // What this completion can make ready: the node's readers (this block), its own next block, and the
            // nodes it reads (their next block was waiting for this node to finish reading them).
            var local: (block: Int, node: Int)?
            for reader in readers[node] where enqueueIfReady(reader, queue: false) {
                let item = (block: done[reader], node: reader)
                if local == nil && reader != finishNode && item.block == block { local = item } else { ready.insert(item) }
            }
            enqueueIfReady(node)
            for source in reads[node] { enqueueIfReady(source) }
            if node != finishNode && unwatched[node] { enqueueIfReady(finishNode) }
            next = local ?? nextReady()
            if next == nil && running == 0 { condition.broadcast() }  // the render is over
            else if sleepers > 0 && !ready.isEmpty { condition.signal() }
        }
    }

    /// The lowest ready item that may still start (items past a failure's limit are dropped).
    private func nextReady() -> (block: Int, node: Int)? {
        while let item = ready.popFirst() {
            if item.block <= limit { return item }
            queued[item.node] = false
        }
        return nil
    }

    /// Marks `node`'s next block ready (and queues it unless `queue` is false) if its dependencies allow it.
    @discardableResult
    private func enqueueIfReady(_ node: Int, queue: Bool = true) -> Bool {
        let block = done[node]
        guard !queued[node], block < blocks, block <= limit else { return false }
        for source in reads[node] where done[source] <= block { return false }
        for reader in readers[node] where done[reader] < block { return false }
        queued[node] = true
        if queue { ready.insert((block, node)) }
        return true
    }
}

/// Ready (block, node) pairs, lowest first. Small (at most one entry per node), so a sorted array does.
struct ReadyQueue {
    private var items: [(block: Int, node: Int)] = []  // descending, so the lowest is last

    init() { items.reserveCapacity(256) }

    var isEmpty: Bool { items.isEmpty }

    mutating func removeAll() { items.removeAll(keepingCapacity: true) }

    mutating func insert(_ item: (block: Int, node: Int)) {
        var index = items.count
        while index > 0 && (items[index - 1].block, items[index - 1].node) < (item.block, item.node) { index -= 1 }
        items.insert(item, at: index)
    }

    mutating func popFirst() -> (block: Int, node: Int)? { items.popLast() }
}
