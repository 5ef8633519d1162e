using System.Globalization;
using System.Text;

namespace Byot.Bench;

/// <summary>The single summary line a benchmark ends with: <c>BENCH name key=value … target…</c>.</summary>
internal sealed record BenchLine(string Name, IReadOnlyList<(string Key, double Value)> Figures, string Target)
{
    public override string ToString()
    {
        var line = new StringBuilder("BENCH ").Append(Name);
        foreach (var (key, value) in Figures)
        {
            line.Append(' ').Append(key).Append('=').Append(value.ToString("0.###", CultureInfo.InvariantCulture));
        }

        return line.Append(' ').Append(Target).ToString();
    }
}
