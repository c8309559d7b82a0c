import Recipe

/// What one render plays: an arrangement (or a vinyl side) of the timeline, a mix variant, and its tail.
public struct RenderSelection: Sendable {
    public struct Entry: Sendable, Equatable {
        public var section: String
        /// Crossfade into this entry, seconds.
        public var crossfade: Double

        public init(section: String, crossfade: Double) {
            self.section = section
            self.crossfade = crossfade
        }
    }

    /// `full`, an arrangement's name, or `side A` for a vinyl side (for printing and file names).
    public var arrangement: String
    public var mix: String
    /// Sections in play order; nil: the whole timeline.
    public var play: [Entry]?
    /// Fade-out frames (seconds) centred on the end of the last section.
    public var endFade: Double
    public var tail: TailSetting

    public init(arrangement: String, mix: String, play: [Entry]?, endFade: Double, tail: TailSetting) {
        self.arrangement = arrangement
        self.mix = mix
        self.play = play
        self.endFade = endFade
        self.tail = tail
    }

    /// The whole timeline, main mix, the session's tail.
    public static func full(_ recipe: Recipe) -> RenderSelection {
        RenderSelection(arrangement: "full", mix: "main", play: nil, endFade: 0, tail: recipe.session.tail)
    }

    /// A named arrangement (or `full`) with a mix; `tail` overrides the arrangement's and the session's.
    public static func named(_ arrangement: String, mix: String, tail: TailSetting? = nil, in recipe: Recipe)
        -> RenderSelection {
        guard let found = recipe.arrangement(named: arrangement) else {
            var selection = full(recipe)
            selection.mix = mix
            if let tail { selection.tail = tail }
            return selection
        }
        let entries = found.play.map { Entry(section: $0.section.value, crossfade: $0.crossfade ?? found.crossfade) }
        return RenderSelection(arrangement: arrangement, mix: mix, play: entries, endFade: found.crossfade,
                               tail: tail ?? found.tail ?? recipe.session.tail)
    }

    /// A key that is equal for selections that render the same thing.
    public var key: String {
        let entries = play.map { $0.map { "\($0.section)@\($0.crossfade)" }.joined(separator: ",") } ?? "*"
        return "\(arrangement)|\(mix)|\(entries)|\(endFade)|\(tail)"
    }
}
