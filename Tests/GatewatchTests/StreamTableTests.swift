// The stream-keyed table behind the per-segment lookups, checked against Dictionary.

@testable import GatewatchCore
import Testing

@Test func streamTableAgreesWithDictionaryUnderRandomChurn() {
    // Keys the way the reassembler makes them (ascending, with old long-lived ones kept), and
    // random ones too, so probe runs wrap around the table and deletions shift entries back.
    var generator = SystemRandomNumberGenerator()
    for round in 0..<4 {
        var table = StreamTable<Int>()
        var reference: [Int: Int] = [:]
        var nextKey = 0
        for step in 0..<20_000 {
            let choice = Int.random(in: 0..<10, using: &generator)
            let key: Int
            switch choice {
            case 0...3: key = nextKey; nextKey += 1
            case 4...6: key = reference.keys.randomElement(using: &generator) ?? 0
            default: key = round == 3 ? Int.random(in: 0..<64, using: &generator) : Int.random(in: 0..<(nextKey + 1), using: &generator)
            }
            if choice <= 4 || choice == 9 {
                table.set(step, for: key)
                reference[key] = step
            } else if choice <= 6 {
                #expect(table.removeValue(for: key) == reference.removeValue(forKey: key))
            } else if choice == 7 {
                table.discardValue(for: key)
                reference.removeValue(forKey: key)
                #expect(table[key] == nil)
            } else if let index = table.index(of: key) {
                table.values[index] += 1
                reference[key]! += 1
            } else {
                #expect(reference[key] == nil)
            }
            #expect(table.count == reference.count)
        }
        for (key, value) in reference { #expect(table[key] == value) }
        #expect(Set(table.keys) == Set(reference.keys))
        for probe in nextKey..<(nextKey + 100) { #expect(table[probe] == nil) }
        // Emptied, the table still answers correctly and takes new keys.
        for key in reference.keys { table.removeValue(for: key) }
        #expect(table.isEmpty)
        #expect(table.index(of: 0) == nil)
        table.set(7, for: 12_345)
        #expect(table[12_345] == 7)
    }
}

@Test func streamTableKeepsValuesDenseForScans() {
    var table = StreamTable<String>()
    for key in 0..<1_000 { table.set("v\(key)", for: key) }
    for key in stride(from: 0, to: 1_000, by: 2) { table.removeValue(for: key) }
    #expect(table.values.count == 500)
    #expect(table.keys.allSatisfy { $0 % 2 == 1 })
    for (index, key) in table.keys.enumerated() { #expect(table.values[index] == "v\(key)") }
}
