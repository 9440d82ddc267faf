/// One selected column: the name it gets in the dataset and the file header it comes from.
public struct ColumnSelection: Sendable, Equatable {
    /// The column's name in the dataset (`price`).
    public var name: String
    /// The header in the file (`Zonal COMED price`), or a pnode name / id for a Data Miner file.
    public var header: String

    /// Creates a selection.
    public init(name: String, header: String) {
        self.name = name
        self.header = header
    }
}

/// The price component a PJM Data Miner LMP export is pivoted on.
public enum LMPComponent: String, Sendable, CaseIterable {
    /// `total_lmp_*`.
    case total
    /// `system_energy_price_*`.
    case energy
    /// `congestion_price_*`.
    case congestion
    /// `marginal_loss_price_*`.
    case loss

    /// The Data Miner column name prefix of the component.
    var columnPrefix: String {
        switch self {
        case .total: return "total_lmp_"
        case .energy: return "system_energy_price_"
        case .congestion: return "congestion_price_"
        case .loss: return "marginal_loss_price_"
        }
    }
}

/// How the values of an hour column number the hours of a day. Either way the timestamp is the
/// start of the hour's interval (hour beginning, naive wall clock).
public enum HourConvention: String, CaseIterable, Sendable {
    /// Hours 0-23: hour 0 is 00:00-01:00.
    case beginning
    /// Hours 1-24, PJM's "HE" (hour ending) columns: HE 1 is 00:00-01:00, HE 24 is 23:00-24:00.
    case ending

    /// The hour values the convention allows.
    var hours: ClosedRange<Int> { self == .beginning ? 0...23 : 1...24 }

    /// `hour beginning 0-23` / `hour ending 1-24`.
    var label: String { "hour \(rawValue) \(hours.lowerBound)-\(hours.upperBound)" }
}

/// How `rally.load` reads a CSV file. Every field has a default that detects or refuses rather
/// than guesses: see ``CSVReader``.
public struct CSVOptions: Sendable {
    /// The field delimiter (`,` `;` or tab); nil detects it from the header line.
    public var delimiter: UInt8?
    /// The decimal separator of numbers (`.` or `,`).
    public var decimal: UInt8 = 46
    /// The time column's header, or a date column and an hour column; nil detects them.
    public var time: [String]?
    /// How the hour column numbers hours (0-23 or 1-24); nil detects it from the column's header
    /// (`HE`, `hour_ending`, ...) or its values (a 24 means hour ending).
    public var hourConvention: HourConvention?
    /// The layout of the time column (see ``TimeFormat``); nil detects it.
    public var format: String?
    /// Columns to keep, with their new names; nil keeps every column (under its header, or the
    /// short names of a recognised layout such as the shared PJM COMED file).
    public var columns: [ColumnSelection]?
    /// The market zone of the times (an IANA name such as `America/New_York`, or `UTC`): naive
    /// times are read as local readings in it; times with offsets keep their instants and take
    /// their local time from it. nil: naive times stay on the wall clock, offsets choose a zone.
    public var zone: String?
    /// Whether the first line is a header; nil detects it (a first line of numbers and dates
    /// only is data, and the columns are named `column1`, `column2`, ...).
    public var header: Bool?
    /// Sorting, duplicates, gap filling and daylight-saving handling.
    public var contracts = TimeContracts()
    /// Data Miner exports: the pnodes to keep (names or ids); nil keeps them all.
    public var pnodes: [String]?
    /// Long LMP exports (gridstatus, Data Miner): the locations to keep (names or ids); nil keeps them all.
    public var locations: [String]?
    /// Data Miner exports: the price component to pivot on; nil pivots the total price.
    public var component: LMPComponent?
    /// Data Miner exports: hours added to the UTC timestamps (e.g. -5 for Eastern standard time);
    /// nil keeps UTC.
    public var utcOffsetHours: Int?

    /// The Data Miner options that are set, by their Lua names (`pnodes`, `component`,
    /// `utc_offset`): other files refuse them rather than ignore them.
    var dataMinerOptionsGiven: [String] {
        [("pnodes", pnodes != nil), ("component", component != nil), ("utc_offset", utcOffsetHours != nil)]
            .filter(\.1).map(\.0)
    }

    /// Options that detect everything and repair nothing.
    public init() {}
}
