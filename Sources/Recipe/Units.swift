import Foundation

/// Why a value could not be read; the parser attaches the location.
public struct ValueError: Error, Sendable, Equatable {
    public var message: String
    public init(_ message: String) { self.message = message }
}

/// Parsers for the recipe's values with units (`-3 dB`, `8 kHz`, `5 ms`, `L30`, `"1:43.250"`, `"96000 smp"`).
///
/// Units are case-insensitive, the space before a unit is optional, and U+2212 (−) is accepted as a minus sign
/// because documents and spreadsheets produce it.
public enum Units {
    /// A level in dB: `-3 dB`, `+1.5 dB`, `-inf dB`, or a bare number (dB).
    public static func decibels(_ text: String) throws(ValueError) -> Double {
        let (number, unit) = try split(text, what: "a level such as '-3 dB'")
        guard unit.isEmpty || unit == "db" else {
            throw ValueError("'\(text)' is not a level: use dB, e.g. '-3 dB'")
        }
        return number
    }

    /// A frequency in Hz: `80 Hz`, `8 kHz`, or a bare number (Hz).
    public static func hertz(_ text: String) throws(ValueError) -> Double {
        let (number, unit) = try split(text, what: "a frequency such as '8 kHz'")
        guard number.isFinite else { throw ValueError("'\(text)' is not a frequency such as '8 kHz'") }
        switch unit {
        case "", "hz": return number
        case "khz": return number * 1000
        default: throw ValueError("'\(text)' is not a frequency: use Hz or kHz, e.g. '80 Hz'")
        }
    }

    /// A time span in seconds: `5 ms`, `1.8 s`, or a bare number (seconds).
    public static func seconds(_ text: String) throws(ValueError) -> Double {
        let (number, unit) = try split(text, what: "a duration such as '5 ms'")
        guard number.isFinite else { throw ValueError("'\(text)' is not a duration such as '5 ms'") }
        switch unit {
        case "", "s", "sec": return number
        case "ms": return number / 1000
        default: throw ValueError("'\(text)' is not a duration: use ms or s, e.g. '20 ms'")
        }
    }

    /// A pan position from −1 (left) to +1 (right): a number, `C`, or `L30` / `R15` (percent of full left/right).
    public static func pan(_ text: String) throws(ValueError) -> Double {
        let trimmed = text.trimmingCharacters(in: .whitespaces).uppercased()
        let value: Double
        if trimmed == "C" || trimmed == "CENTER" || trimmed == "CENTRE" {
            value = 0
        } else if let side = trimmed.first, side == "L" || side == "R" {
            guard let percent = Double(trimmed.dropFirst()), percent.isFinite else {
                throw ValueError("'\(text)' is not a pan position: use L0…L100, R0…R100, or −1…+1")
            }
            guard (0...100).contains(percent) else {
                throw ValueError("'\(text)' is out of range: L and R take a percent from 0 to 100")
            }
            value = (side == "L" ? -percent : percent) / 100
        } else {
            let (number, unit) = try split(text, what: "a pan position such as -0.3 or 'L30'")
            guard unit.isEmpty else {
                throw ValueError("'\(text)' is not a pan position: use -1…+1, or 'L30' / 'R15'")
            }
            value = number
        }
        guard (-1...1).contains(value) else {
            throw ValueError("'\(text)' is out of range: pan runs from -1 (left) to +1 (right)")
        }
        return value
    }

    /// A position on the timeline. `bare` says what a plain number means for this key.
    public static func position(_ text: String, bare: TimePosition.BareUnit) throws(ValueError) -> TimePosition {
        let trimmed = normalise(text)
        let lowered = trimmed.lowercased()
        if lowered.hasPrefix("bar ") || lowered.hasPrefix("bar\t") {
            return try barBeat(String(trimmed.dropFirst(4)), original: text)
        }
        if lowered.hasSuffix("smp") {
            let digits = trimmed.dropLast(3).trimmingCharacters(in: .whitespaces)
            guard let samples = Int64(digits) else {
                throw ValueError("'\(text)' is not a sample position: use a whole number, e.g. '96000 smp'")
            }
            return .samples(samples)
        }
        if trimmed.contains(":") { return .seconds(try clock(trimmed, original: text)) }
        if let number = Double(trimmed), number.isFinite {
            switch bare {
            case .seconds: return .seconds(number)
            case .bars: return try barBeat(trimmed, original: text)
            }
        }
        do {
            return .seconds(try seconds(trimmed))
        } catch {
            if let section = sectionReference(trimmed) { return section }
            throw ValueError("'\(text)' is not a position: use seconds ('12.5 s'), a clock time ('1:43.250'), "
                + "a bar ('bar 30' or 'bar 30.3'), samples ('96000 smp') or a section ('verse', 'verse.end')")
        }
    }

    /// `verse` or `verse.end`: a name that starts with a letter and holds letters, digits, `_` and `-`.
    static func sectionReference(_ text: String) -> TimePosition? {
        var name = Substring(text)
        var end = false
        if name.hasSuffix(".end") { name = name.dropLast(4); end = true }
        guard name.lowercased() != "inf", let first = name.first, first.isLetter, first.isASCII,
              name.allSatisfy({ ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") && $0.isASCII })
        else { return nil }
        return .section(String(name), end: end)
    }

    /// Whether a name can be a section name (referenced as a position).
    public static func isSectionName(_ text: String) -> Bool {
        // A name that also reads as a duration ("s", "ms") or starts a bar position would be ambiguous.
        guard case .section(_, false)? = sectionReference(text) else { return false }
        return (try? seconds(text)) == nil && text.lowercased() != "bar"
    }

    /// `m:ss.mmm` or `h:mm:ss.mmm`.
    static func clock(_ text: String, original: String) throws(ValueError) -> Double {
        let negative = text.hasPrefix("-")
        let parts = (negative ? String(text.dropFirst()) : text).split(separator: ":", omittingEmptySubsequences: false)
        guard (2...3).contains(parts.count), let secondsPart = Double(parts.last!), secondsPart >= 0, secondsPart < 60,
              parts.dropLast().allSatisfy({ !$0.isEmpty && $0.allSatisfy { $0.isASCII && $0.isNumber } })
        else {
            throw ValueError("'\(original)' is not a clock time: use m:ss.mmm, e.g. '1:43.250'")
        }
        var total = secondsPart
        var scale = 60.0
        for part in parts.dropLast().reversed() {
            total += Double(part)! * scale
            scale *= 60
        }
        return negative ? -total : total
    }

    /// `30` or `30.3` (bar 30, beat 3; both 1-based).
    static func barBeat(_ text: String, original: String) throws(ValueError) -> TimePosition {
        let parts = text.trimmingCharacters(in: .whitespaces).split(separator: ".", omittingEmptySubsequences: false)
        guard (1...2).contains(parts.count), let bar = Int(parts[0]),
              let beat = parts.count == 2 ? Int(parts[1]) : 1
        else {
            throw ValueError("'\(original)' is not a bar position: use 'bar 30' or 'bar 30.3' (bar.beat, 1-based)")
        }
        guard bar >= 1, beat >= 1 else {
            throw ValueError("'\(original)': bars and beats count from 1")
        }
        return .bar(bar, beat: beat)
    }

    /// Splits `-3 dB` into (-3, "db"); accepts `inf`.
    static func split(_ text: String, what: String) throws(ValueError) -> (Double, String) {
        let trimmed = normalise(text)
        var end = trimmed.startIndex
        for (index, character) in zip(trimmed.indices, trimmed) {
            if character.isNumber || "+-.eE".contains(character) {
                end = trimmed.index(after: index)
            } else {
                break
            }
        }
        var numberText = String(trimmed[..<end])
        var rest = trimmed[end...].trimmingCharacters(in: .whitespaces)
        // "e" can be the start of no unit we know, but "-inf" needs special handling.
        if rest.lowercased().hasPrefix("inf"), numberText.isEmpty || numberText == "-" || numberText == "+" {
            numberText += "inf"
            rest = String(rest.dropFirst(3)).trimmingCharacters(in: .whitespaces)
        }
        guard let number = Double(numberText), !number.isNaN else {
            throw ValueError("'\(text)' is not \(what)")
        }
        if number.isInfinite, !(numberText.lowercased().hasSuffix("inf")) {
            throw ValueError("'\(text)' is too large")
        }
        return (number, rest.lowercased())
    }

    static func normalise(_ text: String) -> String {
        text.replacingOccurrences(of: "\u{2212}", with: "-").trimmingCharacters(in: .whitespaces)
    }
}
