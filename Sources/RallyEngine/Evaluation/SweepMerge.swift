/// Merges the resume files of a sweep's shards (``SweepShard``) into the table a single run
/// of the whole grid gives, byte for byte. Refuses files of different sweeps, a configuration
/// in two files, a missing shard and an unfinished one, naming the files.
public enum SweepMerge {
    /// The table of the whole sweep from the resume files at `paths` (one per shard, in any order).
    public static func merge(_ paths: [String]) throws -> SweepResult {
        guard let firstPath = paths.first else { throw RallyError("sweep_merge: no resume files given") }
        let files = try paths.map { ($0, try SweepCheckpoint.read($0)) }
        let first = files[0].1
        guard let layout = first.layout else {
            throw RallyError("sweep_merge: '\(firstPath)' has no table layout (written by an older rally); run its sweep again")
        }
        for (path, contents) in files.dropFirst() {
            for key in Set(first.identity.keys).union(contents.identity.keys).sorted() where first.identity[key] != contents.identity[key] {
                throw RallyError("sweep_merge: '\(path)' is from another sweep than '\(firstPath)': their \(key) differs ('\(contents.identity[key] ?? "absent")' and '\(first.identity[key] ?? "absent")')")
            }
            guard contents.layout == layout else {
                throw RallyError("sweep_merge: '\(path)' has another table layout than '\(firstPath)' (columns, models or grid size)")
            }
        }
        let count = first.shard?.count ?? 1
        var byShard: [Int: String] = [:]
        for (path, contents) in files {
            guard (contents.shard?.count ?? 1) == count else {
                throw RallyError("sweep_merge: '\(path)' is \(contents.shard.map { "shard \($0)" } ?? "a whole sweep"), '\(firstPath)' is \(first.shard.map { "shard \($0)" } ?? "a whole sweep")")
            }
            let index = contents.shard?.index ?? 1
            if let other = byShard[index] {
                throw RallyError("sweep_merge: '\(path)' and '\(other)' are both shard \(index)/\(count)")
            }
            byShard[index] = path
        }
        let missing = (1...count).filter { byShard[$0] == nil }
        guard missing.isEmpty else {
            throw RallyError("sweep_merge: shard\(missing.count == 1 ? "" : "s") \(missing.map { "\($0)/\(count)" }.joined(separator: ", ")) missing (\(paths.count) of \(count) files given)")
        }
        var entries: [Int: (path: String, entry: SweepCheckpoint.Entry)] = [:]
        for (path, contents) in files {
            for entry in contents.entries {
                guard entry.index < layout.configurations else {
                    throw RallyError("sweep_merge: '\(path)': configuration \(entry.index + 1) is past the grid's \(layout.configurations)")
                }
                if let other = entries[entry.index] {
                    throw RallyError("sweep_merge: configuration \(entry.index + 1) (\(entry.at)) is in both '\(other.path)' and '\(path)'")
                }
                guard let values = entry.values, values.count == layout.keys.count,
                      entry.figures.count == layout.models.count, entry.figures.allSatisfy({ $0.count == layout.figures.count }) else {
                    throw RallyError("sweep_merge: '\(path)': configuration \(entry.index + 1) (\(entry.at)) does not match the table layout")
                }
                entries[entry.index] = (path, entry)
            }
        }
        for (path, contents) in files {
            let shard = try contents.shard ?? SweepShard(index: 1, count: 1)
            let wanted = (0..<layout.configurations).filter(shard.contains)
            let held = wanted.filter { entries[$0] != nil }.count
            guard held == wanted.count else {
                throw RallyError("sweep_merge: '\(path)' (shard \(shard)) holds \(held) of its \(wanted.count) configurations; run that shard again with the same resume path to finish it")
            }
        }
        let ordered = (0..<layout.configurations).map { entries[$0]!.entry }
        let table = layout.table(ordered.map { ($0.values!, $0.figures) })
        return SweepResult(table, interrupted: false, runsTotal: layout.configurations * layout.models.count,
                           warnings: ordered.flatMap(\.warnings))
    }
}
