@testable import Engine
import Foundation
import Synchronization
import Testing

/// The parallel scheduler's contract, checked on the order it runs things in: every (node, block) exactly once,
/// after the nodes it reads have finished that block, never while a reader still needs the previous block, the
/// finish step after every node's block, and nothing started past a failed block.
@Suite struct SchedulerTests {
    /// A log of (node, block, begin/end) events; the scheduler's lock orders the calls, this one records them.
    final class Log: @unchecked Sendable {
        let lock = NSLock()
        var events: [(node: Int, block: Int, begin: Bool)] = []
        func add(_ node: Int, _ block: Int, _ begin: Bool) { lock.lock(); events.append((node, block, begin)); lock.unlock() }
    }

    // 0 → 1 → 3 (output); 4 (output) reads 1 and 2; 5 reads 0 and is read by nobody (no output depends on it).
    static let reads: [[Int]] = [[], [0], [0], [1], [1, 2], [0]]
    static let outputs = [3, 4]

    func run(jobs: Int, blocks: Int, failAt: (node: Int, block: Int)? = nil, reads: [[Int]] = reads) -> [(node: Int, block: Int, begin: Bool)] {
        let log = Log()
        let scheduler = ParallelScheduler(reads: reads, outputs: Self.outputs, jobs: jobs)
        defer { scheduler.shutdown() }
        let finish = reads.count
        scheduler.render(blocks: blocks, evaluate: { node, block in
            log.add(node, block, true)
            usleep(UInt32((node * 37 + block * 11) % 50))  // uneven node times
            log.add(node, block, false)
            return !(failAt.map { $0.node == node && $0.block == block } ?? false)
        }, finish: { block in
            log.add(finish, block, true)
            log.add(finish, block, false)
            return true
        })
        return log.events
    }

    func check(_ events: [(node: Int, block: Int, begin: Bool)], reads: [[Int]], blocks: Int) {
        let count = reads.count
        var readers = [[Int]](repeating: [], count: count + 1)
        for (node, sources) in reads.enumerated() { for source in sources { readers[source].append(node) } }
        for output in Self.outputs { readers[output].append(count) }
        let allReads = reads + [Array(0..<count)]
        var finished = [Int](repeating: 0, count: count + 1)
        var running = [Bool](repeating: false, count: count + 1)
        for event in events {
            if event.begin {
                #expect(!running[event.node] && finished[event.node] == event.block, "\(event)")
                for source in allReads[event.node] { #expect(finished[source] > event.block, "\(event) before \(source)") }
                for reader in readers[event.node] { #expect(finished[reader] >= event.block, "\(event) while \(reader) reads") }
                running[event.node] = true
            } else {
                running[event.node] = false
                finished[event.node] = event.block + 1
            }
        }
        #expect(finished == [Int](repeating: blocks, count: count + 1))
    }

    @Test(arguments: [1, 2, 3, 8])
    func ordersEveryBlockOfEveryNode(jobs: Int) {
        check(run(jobs: jobs, blocks: 40), reads: Self.reads, blocks: 40)
    }

    @Test func stopsAfterTheFailedBlock() {
        let events = run(jobs: 3, blocks: 40, failAt: (2, 7))
        #expect(!events.contains { $0.block > 7 })
        // Every node still finishes the failed block.
        for node in 0..<Self.reads.count { #expect(events.contains { $0.node == node && $0.block == 7 && !$0.begin }) }
    }
}
