/// A fixed number of Double state variables, allocated once and never copied.
public final class FilterState: @unchecked Sendable {
    public let values: UnsafeMutablePointer<Double>
    public let count: Int

    public init(count: Int) {
        self.count = max(1, count)
        values = UnsafeMutablePointer<Double>.allocate(capacity: self.count)
        values.initialize(repeating: 0, count: self.count)
    }

    deinit { values.deallocate() }

    public func reset() { values.update(repeating: 0, count: count) }
}
