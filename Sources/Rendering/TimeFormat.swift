// Capture times as text: always UTC, never the local zone, so output is the same everywhere.

/// How summary lines show time, after tcpdump's `-t` family.
public enum TimeDisplay: Sendable, Equatable {
    case absolute          // 2005-08-23 20:25:47.000000 (default)
    case epoch             // -tt: 1124828747.000000
    case sincePrevious     // -ttt: delta since the previous line
    case sinceFirst        // -ttttt: since the first packet
}

/// UTC formatting of nanosecond timestamps without Foundation.
public enum TimeFormat {
    /// `2005-08-23 20:25:47.000000` (6 fractional digits, or 9 with `nanoseconds`).
    public static func absolute(_ time: Int64, nanoseconds: Bool = false, separator: String = " ") -> String {
        // Every printed line carries one of these; writing the digits into the string's storage
        // costs a tenth of the padded interpolation below, which stays for odd years and separators.
        if separator.utf8.count == 1, let separatorByte = separator.utf8.first, hasFourDigitYear(time) {
            return String(unsafeUninitializedCapacity: absoluteLength(nanoseconds: nanoseconds)) { buffer in
                writeAbsolute(time, nanoseconds: nanoseconds, separator: separatorByte, into: buffer)
            }
        }
        let (seconds, fraction) = split(time)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        return "\(pad(year, 4))-\(pad(month, 2))-\(pad(day, 2))\(separator)"
            + "\(pad(secondOfDay / 3600, 2)):\(pad(secondOfDay / 60 % 60, 2)):\(pad(secondOfDay % 60, 2))"
            + "." + fractionText(fraction, nanoseconds: nanoseconds)
    }

    /// Appends `absolute(time, nanoseconds:)` to `bytes`, its digits written in place: the
    /// summary lines take their time this way, since a string of 26 bytes lives on the heap
    /// (730 instructions a line for the string, callgrind over nginx-busy).
    public static func appendAbsolute(_ time: Int64, nanoseconds: Bool = false, to bytes: inout [UInt8]) {
        guard hasFourDigitYear(time) else {
            bytes.append(contentsOf: absolute(time, nanoseconds: nanoseconds).utf8)
            return
        }
        // Written on the stack and appended in one piece (appending placeholders to overwrite
        // cost as much again as the digits).
        withUnsafeTemporaryAllocation(of: UInt8.self, capacity: 32) { scratch in
            let count = writeAbsolute(time, nanoseconds: nanoseconds, separator: UInt8(ascii: " "), into: scratch)
            bytes.append(contentsOf: UnsafeBufferPointer(rebasing: scratch[0..<count]))
        }
    }

    private static func absoluteLength(nanoseconds: Bool) -> Int { nanoseconds ? 29 : 26 }

    /// Whether `time` falls in the years 0 to 9999, which `writeAbsolute` takes.
    private static func hasFourDigitYear(_ time: Int64) -> Bool {
        // 0000-01-01 and 10000-01-01 as seconds since 1970.
        let seconds = split(time).0
        return seconds >= -62_167_219_200 && seconds < 253_402_300_800
    }

    /// Writes the absolute form of `time` (a year of four digits) at the start of `buffer`,
    /// which has room for `absoluteLength` bytes; returns the length.
    private static func writeAbsolute(_ time: Int64, nanoseconds: Bool, separator: UInt8,
                                      into buffer: UnsafeMutableBufferPointer<UInt8>) -> Int {
        let (seconds, fraction) = split(time)
        let days = seconds >= 0 ? seconds / 86_400 : (seconds - 86_399) / 86_400
        let secondOfDay = seconds - days * 86_400
        let (year, month, day) = civilDate(daysSinceEpoch: days)
        var end = writeDigits(year, 4, into: buffer, at: 0)
        buffer[end] = UInt8(ascii: "-")
        end = writeDigits(month, 2, into: buffer, at: end + 1)
        buffer[end] = UInt8(ascii: "-")
        end = writeDigits(day, 2, into: buffer, at: end + 1)
        buffer[end] = separator
        end = writeDigits(secondOfDay / 3600, 2, into: buffer, at: end + 1)
        buffer[end] = UInt8(ascii: ":")
        end = writeDigits(secondOfDay / 60 % 60, 2, into: buffer, at: end + 1)
        buffer[end] = UInt8(ascii: ":")
        end = writeDigits(secondOfDay % 60, 2, into: buffer, at: end + 1)
        buffer[end] = UInt8(ascii: ".")
        if nanoseconds {
            end = writeDigits(fraction, 9, into: buffer, at: end + 1)
        } else {
            end = writeDigits(fraction / 1000, 6, into: buffer, at: end + 1)
        }
        return end
    }

    /// ISO 8601 UTC for JSON: `2005-08-23T20:25:47.000000Z`.
    public static func iso8601(_ time: Int64, nanoseconds: Bool = false) -> String {
        absolute(time, nanoseconds: nanoseconds, separator: "T") + "Z"
    }

    /// Seconds with a fraction: `1124828747.000000`, or a relative `0.000250`.
    public static func seconds(_ time: Int64, nanoseconds: Bool = false) -> String {
        let negative = time < 0
        let (seconds, fraction) = split(negative ? -time : time)
        return (negative ? "-" : "") + "\(seconds)." + fractionText(fraction, nanoseconds: nanoseconds)
    }

    /// A duration for people: `250 ms`, `6m41s`, `2.000 s`.
    public static func duration(_ nanoseconds: Int64) -> String {
        let ms = Double(nanoseconds) / 1_000_000
        if ms < 1 { return String(format3: ms) + " ms" }
        if ms < 10_000 { return String(format1: ms) + " ms" }
        let totalSeconds = nanoseconds / 1_000_000_000
        if totalSeconds < 60 { return String(format3: Double(nanoseconds) / 1e9) + " s" }
        let hours = totalSeconds / 3600, minutes = totalSeconds / 60 % 60, seconds = totalSeconds % 60
        return hours > 0 ? "\(hours)h\(minutes)m\(seconds)s" : "\(minutes)m\(seconds)s"
    }

    static func split(_ time: Int64) -> (Int64, Int64) {
        var seconds = time / 1_000_000_000
        var fraction = time % 1_000_000_000
        if fraction < 0 { fraction += 1_000_000_000; seconds -= 1 }
        return (seconds, fraction)
    }

    static func fractionText(_ fraction: Int64, nanoseconds: Bool) -> String {
        nanoseconds ? pad(fraction, 9) : pad(fraction / 1000, 6)
    }

    /// Writes `value` (0 ≤ value < 10^width) as exactly `width` decimal digits at `start`; returns the end.
    static func writeDigits(_ value: Int64, _ width: Int, into buffer: UnsafeMutableBufferPointer<UInt8>, at start: Int) -> Int {
        var remaining = value
        for index in stride(from: start + width - 1, through: start, by: -1) {
            buffer[index] = UInt8(ascii: "0") + UInt8(truncatingIfNeeded: remaining % 10)
            remaining /= 10
        }
        return start + width
    }

    static func pad(_ value: Int64, _ width: Int) -> String {
        let text = String(value)
        return text.count >= width ? text : String(repeating: "0", count: width - text.count) + text
    }

    /// Proleptic Gregorian date from days since 1970-01-01 (Howard Hinnant's civil_from_days).
    static func civilDate(daysSinceEpoch: Int64) -> (Int64, Int64, Int64) {
        let z = daysSinceEpoch + 719_468
        let era = (z >= 0 ? z : z - 146_096) / 146_097
        let dayOfEra = z - era * 146_097
        let yearOfEra = (dayOfEra - dayOfEra / 1460 + dayOfEra / 36_524 - dayOfEra / 146_096) / 365
        let dayOfYear = dayOfEra - (365 * yearOfEra + yearOfEra / 4 - yearOfEra / 100)
        let mp = (5 * dayOfYear + 2) / 153
        let day = dayOfYear - (153 * mp + 2) / 5 + 1
        let month = mp < 10 ? mp + 3 : mp - 9
        return (yearOfEra + era * 400 + (month <= 2 ? 1 : 0), month, day)
    }
}

extension String {
    /// Fixed three decimals without Foundation's String(format:).
    init(format3 value: Double) { self = fixed(value, digits: 3) }
    /// Fixed one decimal.
    init(format1 value: Double) { self = fixed(value, digits: 1) }
}

/// `value` rounded to `digits` decimals as text.
func fixed(_ value: Double, digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let scaled = (abs(value) * scale).rounded()
    guard scaled.isFinite, scaled < 9e18 else { return String(value) }
    let whole = Int64(scaled)
    let integer = whole / Int64(scale)
    let fraction = whole % Int64(scale)
    var text = (value < 0 && whole != 0 ? "-" : "") + String(integer)
    if digits > 0 {
        let f = String(fraction)
        text += "." + String(repeating: "0", count: digits - f.count) + f
    }
    return text
}
