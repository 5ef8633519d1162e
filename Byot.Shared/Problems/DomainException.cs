namespace Byot.Shared.Problems;

/// <summary>A request BYOT refuses, with what is wrong and how to fix it. Services raise one of its kinds
/// (<see cref="InvalidRequestException"/>, <see cref="NotFoundException"/>, …); what the kind means to a protocol (an HTTP status) is
/// decided by the host that answers, once (Byot.Functions/Middleware).</summary>
public abstract class DomainException : Exception
{
    protected DomainException(string code, string title, string detail, string? field = null, IReadOnlyList<string>? allowed = null)
        : base(detail)
    {
        Code = code;
        Title = title;
        Field = field;
        Allowed = allowed;
    }

    /// <summary>Stable, machine-readable kind of problem; becomes the end of the <c>type</c> URI.</summary>
    public string Code { get; }

    public string Title { get; }

    /// <summary>The request field at fault, when there is one.</summary>
    public string? Field { get; }

    /// <summary>The values the field accepts, when they are a short list.</summary>
    public IReadOnlyList<string>? Allowed { get; }
}
