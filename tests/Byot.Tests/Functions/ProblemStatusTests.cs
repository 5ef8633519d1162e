using System.Runtime.CompilerServices;
using Byot.Functions.Middleware;
using Byot.Shared.Problems;
using Xunit;

namespace Byot.Tests.Functions;

/// <summary>The one mapping from a kind of domain error to an HTTP status: every kind Byot.Shared defines has its
/// line, with the status the API has always answered for it.</summary>
public sealed class ProblemStatusTests
{
    public static TheoryData<Type> Kinds() =>
        [.. typeof(DomainException).Assembly.GetTypes().Where(t => t.IsSubclassOf(typeof(DomainException)) && !t.IsAbstract)];

    [Theory]
    [MemberData(nameof(Kinds))]
    public void Every_kind_of_domain_error_maps_to_a_client_or_availability_status(Type kind)
    {
        var status = ProblemStatus.Of((DomainException)RuntimeHelpers.GetUninitializedObject(kind));

        Assert.True(status is >= 400 and < 500 or 503, $"{kind.Name} maps to {status}; give it its line in ProblemStatus.");
    }

    [Theory]
    [InlineData(typeof(InvalidRequestException), 400)]
    [InlineData(typeof(InvalidScheduleException), 400)]
    [InlineData(typeof(UnauthorizedException), 401)]
    [InlineData(typeof(NotFoundException), 404)]
    [InlineData(typeof(ConflictException), 409)]
    [InlineData(typeof(GoneException), 410)]
    [InlineData(typeof(TooLargeException), 413)]
    [InlineData(typeof(UnsupportedMediaException), 415)]
    [InlineData(typeof(TooManyException), 429)]
    [InlineData(typeof(UnavailableException), 503)]
    public void Each_kind_keeps_its_status(Type kind, int expected) =>
        Assert.Equal(expected, ProblemStatus.Of((DomainException)RuntimeHelpers.GetUninitializedObject(kind)));

    [Fact]
    public void A_domain_error_is_written_as_problem_json_with_its_kinds_status()
    {
        var written = ProblemResults.From(new ConflictException("already-committed", "Upload already committed", "Start a new upload.", "sha256"), "/uploads/x/commit");

        Assert.Equal(409, written.StatusCode);
        Assert.Equal(
            """{"type":"urn:byot:problem:already-committed","title":"Upload already committed","status":409,"detail":"Start a new upload.","instance":"/uploads/x/commit","field":"sha256"}""",
            written.Content);
    }
}
