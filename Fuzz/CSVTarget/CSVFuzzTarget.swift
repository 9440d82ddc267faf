// A coverage-guided (libFuzzer) target for the CSV reader and the time parsers. It is not part of
// the normal build: scripts/fuzz/libfuzzer.sh builds it with `-sanitize=fuzzer,address` (see the
// README, "Fuzzing"). Each input is one file to load; its first two bytes choose load options, so
// the fuzzer explores options and content together. A crash, a sanitizer report, or a broken
// promise below (an unbounded or unreadable message, a loaded dataset that does not round-trip
// through ds:write) stops the run with the input saved by libFuzzer.
#if canImport(Glibc)
import Glibc
#endif
import RallyEngine

/// Where each input is written: one path per process, on tmpfs when there is one.
private let inputPath: String = {
    let dir = access("/dev/shm", W_OK) == 0 ? "/dev/shm" : "/tmp"
    return "\(dir)/rally-libfuzzer-\(getpid()).csv"
}()
private let outputPath = inputPath + ".written.csv"

/// Load options chosen by the two option bytes.
private func options(_ a: UInt8, _ b: UInt8) -> CSVOptions {
    var o = CSVOptions()
    o.delimiter = [nil, 44, 59, 9][Int(a & 3)]
    o.decimal = a & 4 == 0 ? 46 : 44
    o.format = [nil, nil, "%Y-%m-%d %H:%M", "%d.%m.%Y %H:%M:%S", "%m/%d/%Y %I:%M %p", "%Y%m%d"][Int((a >> 3) % 6)]
    o.contracts.sort = b & 1 != 0
    o.contracts.duplicates = [nil, .first, .last, .mean][Int((b >> 1) & 3)]
    o.contracts.fill = [nil, .ffill, .interpolate, nil][Int((b >> 3) & 3)]
    o.contracts.usDaylightSaving = b & 32 != 0
    o.hourConvention = [nil, .beginning, .ending, nil][Int((b >> 6) & 3)]
    return o
}

/// Stops the run: libFuzzer saves the input that got here.
private func broken(_ promise: String) -> Never {
    fatalError("broken promise: \(promise)")
}

/// Error messages are short, printable, and name the file.
private func checkMessage(_ message: String) {
    if message.utf8.count > 600 { broken("message of \(message.utf8.count) bytes") }
    if message.unicodeScalars.contains(where: { $0.value < 32 || $0.value == 127 || $0 == "\u{FFFD}" }) {
        broken("message holds a control byte or U+FFFD: \(message.debugDescription.prefix(300))")
    }
    if !message.contains(inputPath) { broken("message does not name the file: \(message.prefix(300))") }
}

/// A dataset that loads either round-trips bit for bit through its CSV text or is refused by
/// ds:write's check before anything is written.
private func checkRoundTrip(_ ds: Dataset) {
    if DatasetCSV.problem(ds) != nil { return }
    do {
        try DatasetCSV.write(ds, to: outputPath)
        let back = try CSVReader.load(path: outputPath)
        if back.timestamps != ds.timestamps { broken("timestamps changed in a round trip") }
        if back.names != ds.names { broken("column names changed in a round trip") }
        for (a, b) in zip(ds.columns, back.columns) where !zip(a, b).allSatisfy({ $0.bitPattern == $1.bitPattern || ($0.isNaN && $1.isNaN) }) {
            broken("values changed in a round trip")
        }
    } catch {
        broken("a written dataset does not load back: \(String(describing: error).prefix(300))")
    }
}

/// The time parsers on the first line of the input, as text.
private func parseTimes(_ bytes: UnsafeBufferPointer<UInt8>) {
    let line = String(decoding: bytes.prefix(64).prefix { $0 != 10 }, as: UTF8.self)
    _ = try? TimeStamp.parse(line)
    for format in ["%Y-%m-%d %H:%M:%S", "%d.%m.%Y %H:%M", "%m/%d/%Y %I:%M:%S %p", "%Y%m%d"] {
        _ = (try? TimeFormat(format))?.parse(line)
    }
}

/// libFuzzer's driver, for executables that bring their own `main`.
@_silgen_name("LLVMFuzzerRunDriver")
private func runFuzzerDriver(_ argc: UnsafeMutablePointer<CInt>,
                             _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?>,
                             _ test: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt) -> CInt

/// The executable's entry point under the name SwiftPM links `main` to: hands over to libFuzzer.
@_cdecl("rally_fuzz_csv_main")
public func rallyFuzzMain(_ argc: CInt, _ argv: UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>?) -> CInt {
    var count = argc
    var vector = argv
    return runFuzzerDriver(&count, &vector, rallyFuzzOneInput)
}

/// One input: load it with the options its first two bytes choose and check the promises.
@_cdecl("LLVMFuzzerTestOneInput")
public func rallyFuzzOneInput(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    guard let data, size >= 2 else { return 0 }
    let body = UnsafeBufferPointer(start: data + 2, count: size - 2)
    parseTimes(body)
    let fd = open(inputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
    guard fd >= 0 else { broken("cannot write \(inputPath)") }
    if body.count > 0, write(fd, body.baseAddress, body.count) != body.count { broken("short write to \(inputPath)") }
    close(fd)
    do {
        checkRoundTrip(try CSVReader.load(path: inputPath, options: options(data[0], data[1])))
    } catch let e as RallyError {
        checkMessage(e.message)
    } catch {
        broken("an error that is not a RallyError: \(error)")
    }
    return 0
}
