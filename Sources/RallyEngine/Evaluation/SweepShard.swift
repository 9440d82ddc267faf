/// One of `count` deterministic, disjoint parts of a sweep's grid: configuration c (0-based,
/// grid order) belongs to shard `c % count + 1`. The shards together hold every configuration
/// once, whatever machine runs them, so their resume files merge into the single-process table
/// (``SweepMerge``). It is not a schedule: each shard runs its part like a whole sweep.
public struct SweepShard: Sendable, Equatable, CustomStringConvertible {
    /// Which shard, 1...count.
    public let index: Int
    /// How many shards the grid is cut into.
    public let count: Int

    /// The most shards a grid may be cut into.
    public static let maximumCount = 100_000

    /// Shard `index` of `count`; throws unless 1 <= index <= count <= ``maximumCount``.
    public init(index: Int, count: Int) throws {
        guard (1...Self.maximumCount).contains(count) else {
            throw RallyError("a shard count in [1, \(Self.maximumCount)] expected, got \(count)", option: "shard.count")
        }
        guard (1...count).contains(index) else {
            throw RallyError("a shard index in [1, \(count)] expected (shards are numbered from 1), got \(index)", option: "shard.index")
        }
        self.index = index
        self.count = count
    }

    /// The shard of `shard = {index = i, count = n}`.
    public init(options tree: OptionTree) throws {
        let o = try OptionReader(tree, path: "shard", expected: "table {index = i, count = n}")
        func whole(_ key: String) throws -> Int {
            guard let x = try o.number(key) else { throw o.error(key, "number expected, got nil") }
            guard x == x.rounded(), abs(x) <= Double(Self.maximumCount) * 10 else { throw o.error(key, "a whole number expected, got \(Format.number(x))") }
            return Int(x)
        }
        let count = try whole("count"), index = try whole("index")
        try o.finish()
        try self.init(index: index, count: count)
    }

    /// `i/n` as in `--shard i/n`.
    public init(text: String) throws {
        let parts = text.split(separator: "/", omittingEmptySubsequences: false)
        guard parts.count == 2, let i = Int(parts[0]), let n = Int(parts[1]) else {
            throw RallyError("a shard as i/n expected (e.g. 2/4), got \"\(text)\"")
        }
        try self.init(index: i, count: n)
    }

    /// Whether configuration `c` (0-based, grid order) belongs to this shard.
    public func contains(_ c: Int) -> Bool { c % count == index - 1 }

    /// `2/4`.
    public var description: String { "\(index)/\(count)" }
}
