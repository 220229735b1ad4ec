import CyrusFormats
import Testing

@Suite struct ImapdConfTests {
  func parse(_ text: String) -> ImapdConf {
    ImapdConf(parsing: Array(text.utf8), source: "imapd.conf")
  }

  @Test func readsKeysValuesCommentsAndBlanks() {
    let conf = parse(
      """
      # comment
        configdirectory:   /var/lib/cyrus  \t
      Partition-Default: /var/spool/cyrus/mail

      hashimapspool: true
      sasl_mech_list: PLAIN LOGIN
      """)
    #expect(conf["configdirectory"] == "/var/lib/cyrus")
    #expect(conf["partition-default"] == "/var/spool/cyrus/mail")
    #expect(conf.bool("hashimapspool") == true)
    #expect(conf["sasl_mech_list"] == "PLAIN LOGIN")
    #expect(conf.diagnostics.isEmpty)
    #expect(conf.location(of: "hashimapspool") == "imapd.conf:5")
  }

  @Test func continuationLinesJoin() {
    let conf = parse("admins: cyrus \\\n  root\nfoo: bar\n")
    #expect(conf["admins"] == "cyrus   root")
    #expect(conf["foo"] == "bar")
    #expect(conf.location(of: "foo") == "imapd.conf:3")
  }

  @Test func malformedAndRepeatedLinesAreDiagnosedNotFatal() {
    let conf = parse("no colon here\nvirtdomains: off\nvirtdomains: userid\n")
    #expect(conf["virtdomains"] == "userid")
    #expect(conf.diagnostics.map(\.line) == [1, 3])
  }

  @Test(arguments: ["yes", "on", "t", "true", "1", "YES"]) func truthy(value: String) {
    #expect(parse("x: \(value)").bool("x") == true)
  }

  @Test(arguments: ["no", "off", "f", "false", "0"]) func falsy(value: String) {
    #expect(parse("x: \(value)").bool("x") == false)
  }

  @Test func prefixedOptionsAreSortedByName() {
    let conf = parse("partition-news: /n\npartition-default: /d\nmetapartition-default: /m\n")
    #expect(conf.prefixed("partition").map(\.name) == ["default", "news"])
    #expect(conf.prefixed("metapartition").map(\.value) == ["/m"])
  }

  @Test func includeIsRecorded() {
    let conf = parse("@include: local.conf\nconfigdirectory: /c\n")
    #expect(conf.includes == ["local.conf"])
  }
}
