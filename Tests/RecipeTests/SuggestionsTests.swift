import Recipe
import Testing

@Suite("Did-you-mean suggestions")
struct SuggestionsTests {
    @Test("Edit distance counts insertions, deletions, substitutions and adjacent swaps", arguments: [
        ("gain", "gain", 0), ("gian", "gain", 1), ("tracsk", "tracks", 1), ("gai", "gain", 1), ("gains", "gain", 1),
        ("gaim", "gain", 1), ("", "abc", 3), ("abc", "", 3), ("kitten", "sitting", 3), ("ca", "abc", 3),
    ])
    func editDistance(_ a: String, _ b: String, _ distance: Int) {
        #expect(Suggestions.editDistance(a, b) == distance)
        #expect(Suggestions.editDistance(b, a) == distance)
    }

    @Test("The closest plausible candidate is suggested", arguments: [
        ("gian", Optional("gain")), ("tracsk", "tracks"), ("GAIN", "gain"), ("kik.wav", "kick.wav"),
        ("smaple_rate", "sample_rate"), ("plat", "plate"),
        // Too far from anything: no suggestion rather than a wild guess.
        ("colour", nil), ("xyz", nil), ("zzz.wav", nil),
    ])
    func closest(_ word: String, _ expected: String?) {
        let candidates = ["gain", "tracks", "kick.wav", "sample_rate", "plate", "pan", "mute", "snare.wav"]
        #expect(Suggestions.closest(to: word, in: candidates) == expected)
    }

    @Test("Hints read as a parenthesised question, or nothing")
    func hint() {
        #expect(Suggestions.hint(for: "gian", in: ["gain", "pan"]) == " (did you mean 'gain'?)")
        #expect(Suggestions.hint(for: "colour", in: ["gain", "pan"]) == "")
        #expect(Suggestions.hint(for: "gain", in: []) == "")
    }
}
