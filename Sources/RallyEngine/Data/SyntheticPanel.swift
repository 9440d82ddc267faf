import Foundation

/// A synthetic panel of PJM-like hubs and zones: one multi-location ``Dataset`` whose locations
/// share the system and differ locally, for running panel evaluations without data.
///
/// The system is ``SyntheticPJM``'s series for the same seed (weather, system load forecast,
/// supply curve, scarcity spikes): its `sys_load_fc` is the one shared column, and its price is
/// the system energy price every location starts from, so system-wide stress raises every
/// location's price at once and their rallies co-occur. Each location then has, from its own
/// random stream (derived from the seed and its position):
/// - a **zone** of its own size, whose load forecast follows the system zone's weather-driven
///   shape with a persistent local deviation (`<name>.zonal_load_fc`);
/// - a **basis** (a fixed price level relative to the system) and multiplicative AR(1) noise;
/// - **congestion**: a convex premium when its zone nears its own transfer limit;
/// - **local spikes**: short price spikes whose hazard rises with the zone's utilisation.
///
/// The price is `<name>.price`. It is not a one-location series (``SyntheticPJM`` is that, and
/// `locations = 1` is not special-cased: a panel of one is still a panel), and it is not a
/// network model: locations interact only through the shared system.
public enum SyntheticPanel {
    /// The most locations a synthetic panel may have.
    public static let maximumLocations = 64

    /// The locations' names: PJM hubs and zones, then `ZONE 13`, `ZONE 14`, ...
    static let knownNames = ["WESTERN HUB", "COMED", "AEP", "DOMINION", "PSEG", "BGE", "PECO", "PPL", "DUQUESNE",
                             "ATSI", "DAYTON", "JCPL"]

    /// The name of location `k` (0-based).
    static func name(_ k: Int) -> String { k < knownNames.count ? knownNames[k] : "ZONE \(k + 1)" }

    /// The dataset of `rally.dataset.synthetic`'s decoded options (``EntryPointOptions/synthetic``):
    /// one series, or a panel of `locations` series.
    public static func generate(_ values: OptionValues) throws -> Dataset {
        let years = values.integer("years")!, seed = UInt64(values.integer("seed")!)
        let start = try SplitTime.option(values, "start", dateOnly: .startOfDay)?.resolved(in: .wallClock, latest: false, what: "start") ?? 1_356_998_400
        if let locations = values.integer("locations") { return try generate(locations: locations, years: years, seed: seed, start: start) }
        return try SyntheticPJM.generate(years: years, seed: seed, start: start)
    }

    /// Generates `locations` locations over `years` calendar years of hourly rows from `start`.
    public static func generate(locations: Int, years: Int = 6, seed: UInt64 = 1, start: Int64 = 1_356_998_400) throws -> Dataset {
        guard (1...maximumLocations).contains(locations) else {
            throw RallyError("synthetic: locations must be between 1 and \(maximumLocations), got \(locations)", option: "locations")
        }
        let system = try SyntheticPJM.generate(years: years, seed: seed, start: start)
        let systemPrice = system.columns[0], systemLoad = system.columns[1], zone = system.columns[2]
        var names = ["sys_load_fc"]
        var columns = [systemLoad]
        var places: [Location] = []
        for k in 0..<locations {
            try Cancellation.check()
            var local = Local(seed: seed, location: k)
            var price = [Double](repeating: 0, count: system.count)
            var load = [Double](repeating: 0, count: system.count)
            for i in 0..<system.count {
                (price[i], load[i]) = local.step(systemPrice: systemPrice[i], zone: zone[i])
            }
            let name = name(k)
            places.append(Location(name: name, id: name, members: [.init(name: "price", column: columns.count),
                                                                    .init(name: "zonal_load_fc", column: columns.count + 1)]))
            names += [name + ".price", name + ".zonal_load_fc"]
            columns += [price, load]
        }
        var report = system.report
        report.source = "synthetic PJM-like panel of \(locations) location\(locations == 1 ? "" : "s") (seed \(seed), \(years) year\(years == 1 ? "" : "s") from \(TimeStamp.format(start)))"
        report.notes.append("\(locations) location\(locations == 1 ? "" : "s") sharing the system price and sys_load_fc, each with its own zone load, basis, noise, congestion and spikes")
        return Dataset(timestamps: system.timestamps, names: names, columns: columns, report: report, locations: places)
    }

    /// One location's own state, advanced one hour at a time.
    private struct Local {
        var random: RandomSource
        let size: Double, basis: Double, limit: Double, congestion: Double
        var deviation = 0.0, noise = 0.0
        var spikes = SpikeProcess(longest: 4, sizes: (0.3, 1.5))

        init(seed: UInt64, location k: Int) {
            // a stream per location: the seed mixed with the location's position (splitmix64's constant)
            random = RandomSource(seed: seed ^ (UInt64(k + 1) &* 0x9E37_79B9_7F4A_7C15))
            size = random.uniform(0.4, 2.5)
            basis = random.uniform(-0.08, 0.12)
            limit = 19_500 * size * random.uniform(0.92, 1.08)
            congestion = random.uniform(0.5, 1.5)
        }

        mutating func step(systemPrice: Double, zone: Double) -> (price: Double, load: Double) {
            deviation = 0.995 * deviation + 0.003 * random.normal()
            let load = (zone * size * (1 + deviation)).rounded()
            let utilisation = load / limit
            var price = systemPrice * (1 + basis) + congestion * 30_000 * size * pow(max(utilisation - 0.78, 0), 2)
            price = spikes.apply(price, chance: 0.0002 + 0.02 * max(utilisation - 0.75, 0), random: &random)
            noise = 0.85 * noise + 0.03 * random.normal()
            price = min(max(price, 0) * exp(noise), 1000)
            return ((price * 1e6).rounded() / 1e6, load)
        }
    }
}
