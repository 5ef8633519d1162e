namespace Byot.Shared.Cases;

/// <summary>Every case of a test's last <see cref="Window"/> runs with cases on its current artifact version.</summary>
public sealed record TestCasesView(Guid TestId, int Window, IReadOnlyList<TestCaseView> Cases);
