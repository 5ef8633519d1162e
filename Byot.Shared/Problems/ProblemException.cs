namespace Byot.Shared.Problems;

/// <summary>A request BYOT refuses, with what is wrong and how to fix it. Rendered as application/problem+json.</summary>
public sealed class ProblemException : Exception
{
    public ProblemException(int status, string code, string title, string detail, string? field = null, IReadOnlyList<string>? allowed = null)
        : base(detail)
    {
        Status = status;
        Code = code;
        Title = title;
        Field = field;
        Allowed = allowed;
    }

    public ProblemException()
        : this(500, "internal", "Internal error", "An unexpected error occurred.")
    {
    }

    public ProblemException(string message)
        : this(400, "bad-request", "Bad request", message)
    {
    }

    public ProblemException(string message, Exception innerException)
        : base(message, innerException)
    {
        Status = 400;
        Code = "bad-request";
        Title = "Bad request";
    }

    public int Status { get; }

    /// <summary>Stable, machine-readable kind of problem; becomes the end of the <c>type</c> URI.</summary>
    public string Code { get; }

    public string Title { get; }

    /// <summary>The request field at fault, when there is one.</summary>
    public string? Field { get; }

    /// <summary>The values the field accepts, when they are a short list.</summary>
    public IReadOnlyList<string>? Allowed { get; }
}
