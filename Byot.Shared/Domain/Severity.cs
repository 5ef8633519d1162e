namespace Byot.Shared.Domain;

/// <summary>How loud a broken test is: P0 pages at once, P3 waits for the weekly digest.</summary>
public enum Severity
{
    P0,
    P1,
    P2,
    P3,
}
