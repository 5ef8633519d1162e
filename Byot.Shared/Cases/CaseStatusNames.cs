namespace Byot.Shared.Cases;

/// <summary>A case status as the API and the database spell it.</summary>
public static class CaseStatusNames
{
    public static readonly IReadOnlyList<string> All = ["passed", "failed", "skipped", "errored"];

    public static string Of(CaseStatus status) => status switch
    {
        CaseStatus.Passed => "passed",
        CaseStatus.Failed => "failed",
        CaseStatus.Skipped => "skipped",
        _ => "errored",
    };

    public static bool TryParse(string? name, out CaseStatus status)
    {
        var index = name is null ? -1 : All.ToList().IndexOf(name);
        status = index < 0 ? default : (CaseStatus)index;
        return index >= 0;
    }
}
