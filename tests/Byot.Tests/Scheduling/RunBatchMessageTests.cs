using Byot.Shared.Queue;
using Xunit;

namespace Byot.Tests.Scheduling;

/// <summary>The scheduler's batch message body, in memory: what a Runner expands and what it refuses.</summary>
public sealed class RunBatchMessageTests
{
    [Fact]
    public void A_batch_round_trips_and_is_not_a_single_run_message()
    {
        Guid[] ids = [Guid.NewGuid(), Guid.NewGuid(), Guid.NewGuid()];
        var body = new RunBatchMessage(ids).ToJson();

        Assert.Equal(ids, RunBatchMessage.TryParse(body)!.RunIds);
        Assert.Null(RunMessage.TryParse(body));
        Assert.Equal(ids, RunBatchMessage.RunIdsOf(body));
    }

    [Fact]
    public void A_single_run_message_is_not_a_batch_but_its_run_id_is_read()
    {
        var id = Guid.NewGuid();
        var body = new RunMessage(id).ToJson();

        Assert.Null(RunBatchMessage.TryParse(body));
        Assert.Equal([id], RunBatchMessage.RunIdsOf(body));
    }

    [Theory]
    [InlineData("this is not json")]
    [InlineData("""{"runIds":[]}""")]
    [InlineData("""{"runIds":["not-a-guid"]}""")]
    [InlineData("""{"runIds":["00000000-0000-0000-0000-000000000000"]}""")]
    [InlineData("""{"runIds":null}""")]
    public void Bodies_that_are_no_batch_are_refused(string body)
    {
        Assert.Null(RunBatchMessage.TryParse(body));
        Assert.Empty(RunBatchMessage.RunIdsOf(body));
    }

    [Fact]
    public void More_runs_than_one_message_may_carry_are_refused()
    {
        var body = new RunBatchMessage([.. Enumerable.Range(0, RunBatchMessage.MaxRuns + 1).Select(_ => Guid.NewGuid())]).ToJson();

        Assert.Null(RunBatchMessage.TryParse(body));
    }
}
