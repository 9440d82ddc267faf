import CSHA256
import Foundation

/// SHA-256 (FIPS 180-4), for fingerprinting data files in `run.json` and models in bundles.
///
/// Whole blocks go through the CPU's SHA extensions where it has them (`CSHA256`), else through
/// the compression written here; both give the same digests. Not a keyed hash or a
/// constant-time one: it fingerprints files, it keeps no secrets.
public struct SHA256: Sendable {
    /// Whether this CPU has the x86 SHA extensions (and the SSSE3 and SSE4.1 used with them).
    static let hardwareAvailable = rally_sha256_accelerated() != 0

    private var h: [UInt32] = [
        0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a, 0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
    ]
    private var pending: [UInt8] = []
    private var length: UInt64 = 0
    /// Whether blocks go through the SHA extensions.
    private let accelerated: Bool

    /// The round constants K, from CSHA256's table (the one both compressions use).
    private static let k = Array(UnsafeBufferPointer(start: rally_sha256_round_constants(), count: 64))

    /// A fresh hash, using the SHA extensions if the CPU has them.
    public init() { self.init(accelerated: true) }

    /// A fresh hash that uses the SHA extensions only if `accelerated` and the CPU has them
    /// (tests pass `false` to check the compression written here).
    init(accelerated: Bool) { self.accelerated = accelerated && Self.hardwareAvailable }

    /// Feeds `bytes`.
    public mutating func update<Bytes: Sequence>(_ bytes: Bytes) where Bytes.Element == UInt8 {
        for byte in bytes {
            pending.append(byte)
            length &+= 1
            if pending.count == 64 { compressPending() }
        }
    }

    /// Feeds `data`, a whole block at a time where possible.
    public mutating func update(_ data: Data) {
        data.withUnsafeBytes { raw in
            let bytes = raw.bindMemory(to: UInt8.self)
            var i = 0
            while i < bytes.count && !pending.isEmpty {
                update(CollectionOfOne(bytes[i]))
                i += 1
            }
            let blocks = (bytes.count - i) / 64
            if blocks > 0 {
                compress(UnsafeRawPointer(bytes.baseAddress! + i), blocks: blocks)
                length &+= UInt64(64 * blocks)
                i += 64 * blocks
            }
            if i < bytes.count { update(UnsafeBufferPointer(rebasing: bytes[i...])) }
        }
    }

    /// The digest as 64 lowercase hex digits (the hash can no longer be fed afterwards).
    public mutating func hexDigest() -> String {
        let bitLength = length &* 8
        var tail: [UInt8] = [0x80]
        while (pending.count + tail.count) % 64 != 56 { tail.append(0) }
        for shift in stride(from: 56, through: 0, by: -8) { tail.append(UInt8(truncatingIfNeeded: bitLength >> UInt64(shift))) }
        for byte in tail {
            pending.append(byte)
            if pending.count == 64 { compressPending() }
        }
        return h.map { word in
            let hex = String(word, radix: 16)
            return String(repeating: "0", count: 8 - hex.count) + hex
        }.joined()
    }

    /// The hex digest of `data`.
    public static func hex(_ data: Data) -> String {
        var hash = SHA256()
        hash.update(data)
        return hash.hexDigest()
    }

    /// The hex digest of the file at `path`, read in 1 MiB chunks.
    public static func hex(file path: String) throws -> String {
        guard let handle = FileHandle(forReadingAtPath: path) else {
            throw RallyError("cannot open '\(path)' to compute its sha256")
        }
        defer { try? handle.close() }
        var hash = SHA256()
        while true {
            let chunk: Data?
            do { chunk = try handle.read(upToCount: 1 << 20) } catch {
                throw RallyError("cannot read '\(path)': \(error.localizedDescription)")
            }
            guard let chunk, !chunk.isEmpty else { break }
            hash.update(chunk)
        }
        return hash.hexDigest()
    }

    /// Rotates right by `n` (masking shifts: one rotate instruction).
    @inline(__always) private static func rotr(_ x: UInt32, _ n: UInt32) -> UInt32 { (x &>> n) | (x &<< (32 &- n)) }

    /// One round: `d` takes `T1` added, `h` becomes `T1 + T2` (FIPS 180-4, 6.2.2 step 3, with
    /// the renaming of the working variables left to the caller).
    @inline(__always)
    private static func round(_ a: UInt32, _ b: UInt32, _ c: UInt32, _ d: inout UInt32,
                              _ e: UInt32, _ f: UInt32, _ g: UInt32, _ h: inout UInt32, _ kw: UInt32) {
        let t1 = h &+ (rotr(e, 6) ^ rotr(e, 11) ^ rotr(e, 25)) &+ ((e & f) ^ (~e & g)) &+ kw
        let t2 = (rotr(a, 2) ^ rotr(a, 13) ^ rotr(a, 22)) &+ ((a & b) ^ (a & c) ^ (b & c))
        d = d &+ t1
        h = t1 &+ t2
    }

    /// Compresses the full block in `pending` and empties it.
    private mutating func compressPending() {
        let block = pending // a reference, not a copy: `compress` may not read self's array while it writes self
        block.withUnsafeBytes { bytes in compress(bytes.baseAddress!, blocks: 1) }
        pending.removeAll(keepingCapacity: true)
    }

    /// Compresses `blocks` whole 64-byte blocks at `p`, in hardware if this hash may.
    private mutating func compress(_ p: UnsafeRawPointer, blocks: Int) {
        if accelerated {
            h.withUnsafeMutableBufferPointer { state in
                rally_sha256_blocks(state.baseAddress!, p.assumingMemoryBound(to: UInt8.self), blocks)
            }
        } else {
            for block in 0..<blocks { compress(p + 64 &* block) }
        }
    }

    /// One 64-byte block at `p`, in Swift.
    private mutating func compress(_ p: UnsafeRawPointer) {
        Self.k.withUnsafeBufferPointer { k in
            withUnsafeTemporaryAllocation(of: UInt32.self, capacity: 64) { w in
                for t in 0..<16 { w[t] = UInt32(bigEndian: p.loadUnaligned(fromByteOffset: 4 &* t, as: UInt32.self)) }
                for t in 16..<64 {
                    let w15 = w[t &- 15], w2 = w[t &- 2]
                    let s0 = Self.rotr(w15, 7) ^ Self.rotr(w15, 18) ^ (w15 &>> 3)
                    let s1 = Self.rotr(w2, 17) ^ Self.rotr(w2, 19) ^ (w2 &>> 10)
                    w[t] = w[t &- 16] &+ s0 &+ w[t &- 7] &+ s1
                }
                var a = h[0], b = h[1], c = h[2], d = h[3], e = h[4], f = h[5], g = h[6], hh = h[7]
                // eight rounds a pass, the letters' roles rotating instead of their values
                for t in stride(from: 0, to: 64, by: 8) {
                    Self.round(a, b, c, &d, e, f, g, &hh, k[t] &+ w[t])
                    Self.round(hh, a, b, &c, d, e, f, &g, k[t &+ 1] &+ w[t &+ 1])
                    Self.round(g, hh, a, &b, c, d, e, &f, k[t &+ 2] &+ w[t &+ 2])
                    Self.round(f, g, hh, &a, b, c, d, &e, k[t &+ 3] &+ w[t &+ 3])
                    Self.round(e, f, g, &hh, a, b, c, &d, k[t &+ 4] &+ w[t &+ 4])
                    Self.round(d, e, f, &g, hh, a, b, &c, k[t &+ 5] &+ w[t &+ 5])
                    Self.round(c, d, e, &f, g, hh, a, &b, k[t &+ 6] &+ w[t &+ 6])
                    Self.round(b, c, d, &e, f, g, hh, &a, k[t &+ 7] &+ w[t &+ 7])
                }
                h[0] &+= a; h[1] &+= b; h[2] &+= c; h[3] &+= d; h[4] &+= e; h[5] &+= f; h[6] &+= g; h[7] &+= hh
            }
        }
    }
}
