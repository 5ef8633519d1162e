namespace Byot.Shared.Cases;

/// <summary>A parser fed a test's stdout one line at a time, as the Runner reads it: it keeps only the state of the
/// cases still running, so memory does not grow with the output.</summary>
public interface ILineCaseParser
{
    void Line(string line);

    /// <summary>The output ended: cases left open are closed (and said to be cut short).</summary>
    void Complete();
}
