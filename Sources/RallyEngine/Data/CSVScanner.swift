import Foundation

/// A file read in chunks into one growable buffer, so a reader scans bytes in place and memory
/// stays at one chunk (plus the longest record) whatever the file size.
final class ChunkedFile {
    /// The file's path, for messages.
    let path: String
    private let handle: UnsafeMutablePointer<FILE>
    private(set) var buffer: UnsafeMutablePointer<UInt8>
    private var capacity: Int
    /// Bytes `start..<end` of `buffer` are read and not yet consumed.
    var start = 0
    private(set) var end = 0
    /// Whether the whole file has been read into the buffer.
    private(set) var atEOF = false
    /// Bytes read so far.
    private(set) var bytesRead = 0

    /// Opens `path`; throws `cannot open 'path': <reason>`.
    init(path: String, chunkSize: Int = 1 << 20) throws {
        guard let handle = fopen(path, "rb") else {
            throw RallyError("cannot open '\(path)': \(String(cString: strerror(errno)))")
        }
        self.path = path
        self.handle = handle
        capacity = chunkSize
        buffer = .allocate(capacity: chunkSize)
    }

    deinit {
        fclose(handle)
        buffer.deallocate()
    }

    /// Moves the unconsumed bytes to the front and reads more after them, growing the buffer
    /// when a single record fills it. Returns false at the end of the file.
    @discardableResult
    func refill() throws -> Bool {
        guard !atEOF else { return false }
        if start > 0 {
            let live = end - start
            if live > 0 { buffer.update(from: buffer + start, count: live) }
            start = 0
            end = live
        }
        if end == capacity {
            let bigger = UnsafeMutablePointer<UInt8>.allocate(capacity: capacity * 2)
            bigger.update(from: buffer, count: end)
            buffer.deallocate()
            buffer = bigger
            capacity *= 2
        }
        let n = fread(buffer + end, 1, capacity - end, handle)
        if n == 0 {
            if ferror(handle) != 0 { throw RallyError("cannot read '\(path)': \(String(cString: strerror(errno)))") }
            atEOF = true
            return false
        }
        end += n
        bytesRead += n
        return true
    }

    /// Reads until the unconsumed bytes hold a line break, or the file ends.
    func ensureLineBreak() throws {
        var checked = start
        while true {
            if checked < end {
                let lf = memchr(buffer + checked, Int32(CSVScanner.lf), end - checked), cr = memchr(buffer + checked, Int32(CSVScanner.cr), end - checked)
                if lf != nil || cr != nil { return }
                checked = end
            }
            let offset = checked - start
            guard try refill() else { return }
            checked = start + offset
        }
    }

    /// Reads until at least `count` unconsumed bytes are buffered or the file ends.
    func ensure(_ count: Int) throws {
        while end - start < count, try refill() {}
    }
}

/// Splits CSV records into fields, in place: quoted fields (with `""` escapes and embedded line
/// breaks), LF / CRLF / CR line endings, blank lines. Field ranges are byte offsets into the
/// scanned buffer; quoted fields exclude their quotes. The field table is reused from record to
/// record (no allocation per record).
final class CSVScanner {
    /// What one call to ``scan(_:from:end:atEOF:)`` found.
    enum Outcome: Equatable {
        /// A record of ``fieldCount`` fields; `next` is where the following record starts,
        /// `lines` how many line breaks it spanned (1, or more with quoted line breaks).
        case record(next: Int, lines: Int)
        /// An empty line.
        case blank(next: Int)
        /// The record continues past the buffered bytes: read more and scan again.
        case needMore
        /// No bytes left.
        case endOfInput
        /// A quoted field (number `field`, 1-based) never closes.
        case unterminatedQuote(field: Int)
        /// Text follows the closing quote of field `field`.
        case textAfterQuote(field: Int)
        /// The record has more than ``maxFields`` fields.
        case tooManyFields
    }

    static let quote: UInt8 = 34, lf: UInt8 = 10, cr: UInt8 = 13, space: UInt8 = 32, tab: UInt8 = 9

    /// The delimiter.
    let delimiter: UInt8
    /// Start offsets of the fields of the last record.
    private(set) var starts: UnsafeMutablePointer<Int>
    /// End offsets (exclusive) of the fields of the last record.
    private(set) var ends: UnsafeMutablePointer<Int>
    /// Whether each field was quoted and contains `""` escapes.
    private(set) var escaped: UnsafeMutablePointer<Bool>
    private var capacity = 64
    /// Number of fields in the last record.
    private(set) var fieldCount = 0

    /// The most fields a record may have: scanning stops there, so the field table stays small
    /// whatever a line holds.
    let maxFields: Int

    init(delimiter: UInt8, maxFields: Int = CSVReader.maxColumns + 1) {
        self.delimiter = delimiter
        self.maxFields = maxFields
        starts = .allocate(capacity: capacity)
        ends = .allocate(capacity: capacity)
        escaped = .allocate(capacity: capacity)
    }

    deinit {
        starts.deallocate()
        ends.deallocate()
        escaped.deallocate()
    }

    @inline(__always)
    private func add(_ s: Int, _ e: Int, escaped esc: Bool) {
        if fieldCount == capacity { grow() }
        starts[fieldCount] = s
        ends[fieldCount] = e
        escaped[fieldCount] = esc
        fieldCount += 1
    }

    private func grow() {
        let bigger = capacity * 2
        let s = UnsafeMutablePointer<Int>.allocate(capacity: bigger), e = UnsafeMutablePointer<Int>.allocate(capacity: bigger)
        let q = UnsafeMutablePointer<Bool>.allocate(capacity: bigger)
        s.update(from: starts, count: capacity); e.update(from: ends, count: capacity); q.update(from: escaped, count: capacity)
        starts.deallocate(); ends.deallocate(); escaped.deallocate()
        (starts, ends, escaped, capacity) = (s, e, q, bigger)
    }

    /// Scans one record of `b[from..<end]`.
    func scan(_ b: UnsafePointer<UInt8>, from: Int, end: Int, atEOF: Bool) -> Outcome {
        fieldCount = 0
        var i = from
        guard i < end else { return atEOF ? .endOfInput : .needMore }
        if b[i] == Self.lf { return .blank(next: i + 1) }
        if b[i] == Self.cr {
            if i + 1 < end { return .blank(next: b[i + 1] == Self.lf ? i + 2 : i + 1) }
            return atEOF ? .blank(next: i + 1) : .needMore
        }
        var lines = 1
        while true {
            if b[i] == Self.space || (b[i] == Self.tab && delimiter != Self.tab) {
                // blanks before an opening quote belong to no field
                var j = i + 1
                while j < end && (b[j] == Self.space || (b[j] == Self.tab && delimiter != Self.tab)) { j += 1 }
                if j == end && !atEOF { return .needMore }
                if j < end && b[j] == Self.quote { i = j }
            }
            if b[i] == Self.quote {
                i += 1
                let contentStart = i
                var esc = false
                while true {
                    guard i < end else { return atEOF ? .unterminatedQuote(field: fieldCount + 1) : .needMore }
                    let c = b[i]
                    if c == Self.quote {
                        guard i + 1 < end else {
                            if atEOF { break }
                            return .needMore
                        }
                        if b[i + 1] == Self.quote { esc = true; i += 2; continue }
                        break
                    }
                    if c == Self.lf {
                        lines += 1
                    } else if c == Self.cr {
                        guard i + 1 < end || atEOF else { return .needMore }
                        if i + 1 >= end || b[i + 1] != Self.lf { lines += 1 }
                    }
                    i += 1
                }
                add(contentStart, i, escaped: esc)
                i += 1
                while i < end && (b[i] == Self.space || (b[i] == Self.tab && delimiter != Self.tab)) { i += 1 }
            } else {
                let fieldStart = i
                while i < end {
                    let c = b[i]
                    if c == delimiter || (c <= Self.cr && (c == Self.lf || c == Self.cr)) { break }
                    i += 1
                }
                add(fieldStart, i, escaped: false)
            }
            guard i < end else { return atEOF ? .record(next: end, lines: lines) : .needMore }
            let c = b[i]
            if c == delimiter {
                if fieldCount >= maxFields { return .tooManyFields }
                i += 1
                if i == end {
                    guard atEOF else { return .needMore }
                    add(end, end, escaped: false)
                    return .record(next: end, lines: lines)
                }
                continue
            }
            if c == Self.lf { return .record(next: i + 1, lines: lines) }
            if c == Self.cr {
                if i + 1 < end { return .record(next: b[i + 1] == Self.lf ? i + 2 : i + 1, lines: lines) }
                return atEOF ? .record(next: i + 1, lines: lines) : .needMore
            }
            return .textAfterQuote(field: fieldCount)
        }
    }

    /// Field `k` of the last record as text: trimmed, quotes removed, `""` unescaped.
    func text(_ b: UnsafePointer<UInt8>, _ k: Int) -> String {
        let (s, e) = Self.trimmed(b, starts[k], ends[k])
        let raw = String(decoding: UnsafeBufferPointer(start: b + s, count: e - s), as: UTF8.self)
        return escaped[k] ? raw.replacingOccurrences(of: "\"\"", with: "\"") : raw
    }

    /// The untrimmed text of field `k`, for messages.
    func rawText(_ b: UnsafePointer<UInt8>, _ k: Int) -> String {
        String(decoding: UnsafeBufferPointer(start: b + starts[k], count: ends[k] - starts[k]), as: UTF8.self)
    }

    /// `s..<e` without leading and trailing spaces and tabs.
    @inline(__always)
    static func trimmed(_ b: UnsafePointer<UInt8>, _ s: Int, _ e: Int) -> (Int, Int) {
        var s = s, e = e
        while s < e && (b[s] == space || b[s] == tab) { s += 1 }
        while e > s && (b[e - 1] == space || b[e - 1] == tab) { e -= 1 }
        return (s, e)
    }

    /// The delimiter of a header line: whichever of `,` `;` tab occurs most outside quotes
    /// (comma on a tie or when none occurs).
    static func detectDelimiter(_ b: UnsafePointer<UInt8>, from: Int, end: Int) -> UInt8 {
        var comma = 0, semicolon = 0, tabs = 0
        var inQuotes = false
        var i = from
        while i < end {
            let c = b[i]
            if c == quote {
                inQuotes.toggle()
            } else if !inQuotes {
                if c == 44 { comma += 1 } else if c == 59 { semicolon += 1 } else if c == tab { tabs += 1 } else if c == lf || c == cr { break }
            }
            i += 1
        }
        if semicolon > comma && semicolon >= tabs { return 59 }
        if tabs > comma && tabs > semicolon { return tab }
        return 44
    }
}

/// Line numbers of data rows, stored sparsely: most files put row r on line `first + r`, so only
/// the rows after a blank line or a quoted line break are recorded.
struct LineMap {
    private var rows: [Int] = []
    private var lines: [Int] = []

    /// Records that row `row` is on line `line`, if that is not what the previous rows imply.
    mutating func record(row: Int, line: Int) {
        if let lastRow = rows.last, let lastLine = lines.last, lastLine + (row - lastRow) == line { return }
        rows.append(row)
        lines.append(line)
    }

    /// The line of row `row`.
    func line(of row: Int) -> Int {
        var lo = 0, hi = rows.count
        while lo < hi {
            let mid = (lo + hi) / 2
            if rows[mid] <= row { lo = mid + 1 } else { hi = mid }
        }
        guard lo > 0 else { return row + 1 }
        return lines[lo - 1] + (row - rows[lo - 1])
    }
}

/// The record loop every reader shares: buffer refills, line counting, malformed quotes.
extension CSVScanner {
    /// Scans `file` from its current position to its end. Calls `record` with the buffer and the
    /// record's first line number (the fields are in ``starts`` / ``ends``), and `blank` for each
    /// empty line; refills the buffer as needed; throws on a malformed quote, naming
    /// `path:line:field`; checks for cancellation every 65,536 records. Line numbers start at
    /// `firstLine`.
    func forEachRecord(in file: ChunkedFile, firstLine: Int, blank: () -> Void,
                       _ record: (_ buffer: UnsafePointer<UInt8>, _ line: Int) throws -> Void) throws {
        var line = firstLine
        var b = UnsafePointer(file.buffer)
        var pos = file.start
        var records = 0
        defer { file.start = pos }
        while true {
            switch scan(b, from: pos, end: file.end, atEOF: file.atEOF) {
            case .record(let next, let lines):
                try record(b, line)
                line += lines
                pos = next
                records += 1
                if records & 0xFFFF == 0 { try Cancellation.check() }
            case .blank(let next):
                blank()
                line += 1
                pos = next
            case .needMore:
                file.start = pos
                try file.refill()
                b = UnsafePointer(file.buffer)
                pos = file.start
            case .endOfInput:
                return
            case .unterminatedQuote(let field):
                throw RallyError("\(file.path):\(line):\(field): a quoted field never closes")
            case .textAfterQuote(let field):
                throw RallyError("\(file.path):\(line):\(field): text after the closing quote of a quoted field")
            case .tooManyFields:
                throw RallyError("\(file.path):\(line): more than \(CSVReader.maxColumns) fields; rally reads at most \(CSVReader.maxColumns) columns")
            }
        }
    }
}
