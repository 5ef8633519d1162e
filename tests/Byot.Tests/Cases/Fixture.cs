using Byot.Shared.Cases;

namespace Byot.Tests.Cases;

/// <summary>The checked-in real outputs (Cases/Fixtures/README.md) fed to the parsers as the Runner would.</summary>
internal static class Fixture
{
    public static string PathOf(string name) => Path.Combine(AppContext.BaseDirectory, "Cases", "Fixtures", name);

    public static CaseSink Lines(string name, Func<CaseSink, ILineCaseParser> parser) => Lines(File.ReadLines(PathOf(name)), parser);

    public static CaseSink Lines(IEnumerable<string> lines, Func<CaseSink, ILineCaseParser> parser, CaseLimits? limits = null)
    {
        var sink = new CaseSink(limits ?? CaseLimits.Default);
        var p = parser(sink);
        foreach (var line in lines)
        {
            p.Line(line);
        }

        p.Complete();
        return sink;
    }

    public static int Count(CaseSink sink, CaseStatus status) => sink.Cases.Count(c => c.Status == status);
}
