import Foundation

/// Random draws for simulation (uniform, integer, normal) on top of the engine's generator,
/// ``Xoshiro256StarStar``, so that a seed gives the same stream on every run and every machine
/// with the same libm.
public struct RandomSource: Sendable {
    private var bits: Xoshiro256StarStar
    private var spareNormal: Double?

    /// A generator whose whole stream is determined by `seed`.
    public init(seed: UInt64) { bits = Xoshiro256StarStar(seed: seed) }

    /// The next 64 random bits.
    public mutating func next() -> UInt64 { bits.next() }

    /// A uniform double in [0, 1).
    public mutating func uniform() -> Double { Double(next() >> 11) * 0x1p-53 }

    /// A uniform double in [a, b).
    public mutating func uniform(_ a: Double, _ b: Double) -> Double { a + (b - a) * uniform() }

    /// A uniform integer in `range`.
    public mutating func integer(in range: ClosedRange<Int>) -> Int {
        range.lowerBound + Int(next() % UInt64(range.upperBound - range.lowerBound + 1))
    }

    /// A standard normal deviate (Box-Muller; the second value of each pair is kept for the next call).
    public mutating func normal() -> Double {
        if let z = spareNormal {
            spareNormal = nil
            return z
        }
        let u1 = 1 - uniform()
        let u2 = uniform()
        let r = (-2 * log(u1)).squareRoot()
        spareNormal = r * sin(2 * Double.pi * u2)
        return r * cos(2 * Double.pi * u2)
    }
}

/// The price spikes of the synthetic generators: a spike of 1...`longest` hours starts with
/// probability `chance` when none is running, and multiplies the price by 1 + size x a half sine
/// over its hours. Not a model of real spikes; a deterministic source of rallies to detect.
struct SpikeProcess: Sendable {
    /// The longest spike, in hours.
    let longest: Int
    /// The spike sizes drawn, uniformly.
    let sizes: (low: Double, high: Double)
    private var hoursLeft = 0, length = 1, size = 1.0

    init(longest: Int, sizes: (low: Double, high: Double)) {
        self.longest = longest
        self.sizes = sizes
    }

    /// `price` with this hour's spike applied; may start a spike (drawing from `random` only when
    /// none is running, so the draws are those of the generators before this type existed).
    mutating func apply(_ price: Double, chance: Double, random: inout RandomSource) -> Double {
        if hoursLeft == 0 && random.uniform() < chance {
            length = random.integer(in: 1...longest)
            hoursLeft = length
            size = random.uniform(sizes.low, sizes.high)
        }
        guard hoursLeft > 0 else { return price }
        let phase = (Double(length - hoursLeft) + 0.5) / Double(length)
        hoursLeft -= 1
        return price * (1 + size * sin(Double.pi * phase))
    }
}
