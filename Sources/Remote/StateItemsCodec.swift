import CyrusFormats
import CyrusStore

/// The wire form of a ``StateSummary``'s subscription layout and items, appended to the state
/// summary of an entry: layout byte (0 none, 1 legacy, 2 3.6 version record), then the item
/// count + 1 as a varint (0: no items kept), then per item its key (a field) and its value (a
/// string).
enum StateItemsCodec {
  static func encode(_ state: StateSummary, into out: inout ByteWriter) {
    switch state.subscriptionLayout {
    case nil: out.byte(0)
    case .legacy: out.byte(1)
    case .version2: out.byte(2)
    }
    guard let items = state.items else { return out.varint(0) }
    precondition(items.count <= StateSummary.maxItems, "the reader caps items at maxItems")
    out.varint(items.count + 1)
    for item in items {
      out.field(item.key)
      out.string(item.value)
    }
  }

  static func decode(into state: inout StateSummary, from input: inout ByteReader)
    throws(RemoteProtocolError)
  {
    switch try input.readByte() {
    case 0: state.subscriptionLayout = nil
    case 1: state.subscriptionLayout = .legacy
    case 2: state.subscriptionLayout = .version2
    default: throw input.error(.unexpected, "unknown subscription layout")
    }
    let count = try input.readCount(limit: StateSummary.maxItems + 1, "state item count")
    guard count > 0 else { return }
    var items: [StateItem] = []
    items.reserveCapacity(count - 1)
    var bytes = 0
    for _ in 1..<count {
      let key = try input.readField(limit: StateSummary.maxItemFieldBytes, "state item key")
      let value = try input.readField(limit: StateSummary.maxItemFieldBytes, "state item value")
      bytes += key.count + value.count
      guard bytes <= StateSummary.maxItemBytes else {
        throw input.error(.tooLarge, "state items over \(StateSummary.maxItemBytes) bytes")
      }
      items.append(StateItem(key: key, value: String(decoding: value, as: UTF8.self)))
    }
    state.items = items
  }
}
