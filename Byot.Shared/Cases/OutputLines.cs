using System.Text;

namespace Byot.Shared.Cases;

/// <summary>The first lines a case printed, each clipped, at most <see cref="CaseLimits.MaxOutputLines"/>: what a
/// failure shows without holding a chatty test's whole output.</summary>
internal sealed class OutputLines(CaseLimits limits)
{
    private readonly StringBuilder text = new();
    private int lines;

    public bool IsEmpty => lines == 0;

    public void Add(string line)
    {
        if (lines >= limits.MaxOutputLines)
        {
            return;
        }

        lines++;
        text.Append(line.Length <= limits.MaxLineChars ? line : line[..limits.MaxLineChars] + "…").Append('\n');
    }

    public override string ToString() => text.ToString().TrimEnd('\n');
}
