namespace Byot.Bench;

/// <summary>One BYOT run of the Playwright bench, in seconds: run-now to result recorded, and its three parts (to the
/// container's start, the container's life, its exit to the result recorded).</summary>
internal sealed record PlaywrightPhases(double Total, double ToStart, double Container, double AfterExit);
