/// Applies a mix variant to a recipe: the compiler then renders the varied recipe like any other.
public enum MixResolution {
    /// The insert a bypass name refers to: `strip.id`, `strip.processor` (the strip's only insert of that
    /// processor), or an insert id used exactly once in the recipe.
    public static func insert(named name: String, in recipe: Recipe) -> (strip: String, index: Int)? {
        let strips: [(String, [Insert])] = recipe.tracks.map { ($0.name.value, $0.inserts) }
            + recipe.buses.map { ($0.name.value, $0.inserts) } + [("master", recipe.master.inserts)]
        let parts = name.split(separator: ".", maxSplits: 1).map(String.init)
        if parts.count == 2, let strip = strips.first(where: { $0.0 == parts[0] }) {
            if let index = strip.1.firstIndex(where: { $0.id == parts[1] }) { return (strip.0, index) }
            let matches = strip.1.indices.filter { strip.1[$0].processor.value == parts[1] }
            if matches.count == 1 { return (strip.0, matches[0]) }
            return nil
        }
        let matches = strips.flatMap { strip in strip.1.indices.filter { strip.1[$0].id == name }.map { (strip.0, $0) } }
        return matches.count == 1 ? matches[0] : nil
    }

    /// The recipe as the named mix plays it (`main`: unchanged).
    public static func apply(_ mixName: String, to recipe: Recipe) -> Recipe {
        guard let mix = recipe.mix(named: mixName) else { return recipe }
        var varied = recipe
        let soloed = Set(mix.solo.map(\.value))
        let muted = Set(mix.mute.map(\.value))
        for index in varied.tracks.indices {
            let name = varied.tracks[index].name.value
            if muted.contains(name) { varied.tracks[index].mute = true }
            if !soloed.isEmpty, !soloed.contains(name), !reaches(track: index, anyOf: soloed, in: recipe) {
                varied.tracks[index].mute = true
            }
        }
        for index in varied.buses.indices where muted.contains(varied.buses[index].name.value) {
            varied.buses[index].mute = true
        }
        for (name, decibels) in mix.gain {
            if let index = varied.tracks.firstIndex(where: { $0.name.value == name.value }) {
                varied.tracks[index].gainDB += decibels
                offsetGainLanes(&varied.tracks[index].automation, by: decibels)
            } else if let index = varied.buses.firstIndex(where: { $0.name.value == name.value }) {
                varied.buses[index].gainDB += decibels
                offsetGainLanes(&varied.buses[index].automation, by: decibels)
            }
        }
        for name in mix.bypass {
            guard let (strip, insert) = insert(named: name.value, in: recipe) else { continue }
            if strip == "master" {
                varied.master.inserts[insert].bypass = true
            } else if let index = varied.tracks.firstIndex(where: { $0.name.value == strip }) {
                varied.tracks[index].inserts[insert].bypass = true
            } else if let index = varied.buses.firstIndex(where: { $0.name.value == strip }) {
                varied.buses[index].inserts[insert].bypass = true
            }
        }
        return varied
    }

    private static func offsetGainLanes(_ lanes: inout [Automation], by decibels: Double) {
        for lane in lanes.indices {
            guard case .gain = lanes[lane].target.value else { continue }
            for point in lanes[lane].points.indices { lanes[lane].points[point].value += decibels }
        }
    }

    /// Whether a track's signal reaches one of the named buses through routes or sends.
    static func reaches(track index: Int, anyOf buses: Set<String>, in recipe: Recipe) -> Bool {
        func targets(_ destination: Destination, _ sends: [Send]) -> [String] {
            var result = sends.map(\.target.value)
            if case .bus(let name) = destination { result.append(name) }
            return result
        }
        var frontier = targets(recipe.tracks[index].destination.value, recipe.tracks[index].sends)
        var seen = Set<String>()
        while let next = frontier.popLast() {
            if buses.contains(next) { return true }
            guard seen.insert(next).inserted, let bus = recipe.buses.first(where: { $0.name.value == next }) else { continue }
            frontier += targets(bus.destination.value, bus.sends)
        }
        return false
    }
}
