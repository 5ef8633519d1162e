using Byot.Shared.Problems;
using Byot.Runner.Worker;
using Byot.Shared.Locations;
using Xunit;

namespace Byot.Tests.Locations;

/// <summary>Which queue carries a run, and how a Runner goes round its shards: pure rules, in memory.</summary>
public sealed class QueueShardsTests
{
    [Fact]
    public void A_test_always_lands_on_the_same_shard_and_tests_spread_over_all_shards()
    {
        // The shard is computed from the id's bytes, not a process-specific hash: a fixed id has a fixed shard.
        var id = Guid.Parse("00000007-0000-4000-8000-000000000000");
        Assert.Equal(7 % 4, QueueShards.ShardOf(id, 4));
        Assert.Equal(QueueShards.ShardOf(id, 4), QueueShards.ShardOf(id, 4));
        Assert.Equal(0, QueueShards.ShardOf(id, 1));

        var counts = new int[8];
        for (var i = 0; i < 8_000; i++)
        {
            counts[QueueShards.ShardOf(Guid.NewGuid(), 8)]++;
        }

        Assert.All(counts, c => Assert.InRange(c, 800, 1_200));
    }

    [Fact]
    public void The_default_location_keeps_the_plain_queue_and_others_get_their_own()
    {
        Assert.Equal("byot-runs", QueueShards.QueueName("byot-runs", "default", 0));
        Assert.Equal("byot-runs-3", QueueShards.QueueName("byot-runs", "default", 3));
        Assert.Equal("byot-runs-eu-west", QueueShards.QueueName("byot-runs", "eu-west", 0));
        Assert.Equal("byot-runs-eu-west-3", QueueShards.QueueName("byot-runs", "eu-west", 3));
    }

    [Fact]
    public void Runners_receive_from_the_current_shards_and_from_old_ones_while_they_drain()
    {
        Assert.Equal(["q-eu", "q-eu-1"], QueueShards.ReceiveQueues("q", "eu", 2, 0));
        Assert.Equal(["q-eu", "q-eu-1", "q-eu-2", "q-eu-3"], QueueShards.ReceiveQueues("q", "eu", 2, 4));
        Assert.Equal(["q", "q-1", "q-2"], QueueShards.ReceiveQueues("q", "default", 3, 2));
    }

    [Fact]
    public void Each_receive_starts_one_shard_further_on_so_every_shard_leads_equally_often()
    {
        var rotation = new ShardRotation(["a", "b", "c"]);
        var firsts = new Dictionary<string, int>();
        for (var i = 0; i < 30; i++)
        {
            var order = rotation.NextOrder().ToList();
            Assert.Equal(3, order.Distinct().Count());
            firsts[order[0]] = firsts.GetValueOrDefault(order[0]) + 1;
        }

        Assert.Equal([10, 10, 10], firsts.OrderBy(f => f.Key).Select(f => f.Value));
    }

    [Theory]
    [InlineData("eu-west", true)]
    [InlineData("default", true)]
    [InlineData("us2", true)]
    [InlineData("1eu", false)]
    [InlineData("EU", false)]
    [InlineData("eu--west", false)]
    [InlineData("eu-", false)]
    [InlineData("", false)]
    [InlineData("a-very-long-location-name-x", false)]
    public void Location_names_have_one_shape(string name, bool valid) => Assert.Equal(valid, LocationNames.IsValid(name));

    [Fact]
    public void A_list_naming_an_unknown_or_malformed_location_is_refused_with_the_known_ones()
    {
        string[] known = ["default", "eu-west"];
        Assert.Equal(["eu-west", "default"], LocationList.ParseField("eu-west, default,eu-west", "locations", known));

        var unknown = Assert.Throws<InvalidRequestException>(() => LocationList.ParseField("us-east", "locations", known));
        Assert.Equal(400, Byot.Functions.Middleware.ProblemStatus.Of(unknown));
        Assert.Contains("default, eu-west", unknown.Message, StringComparison.Ordinal);
        Assert.Equal("locations", unknown.Field);

        var malformed = Assert.Throws<InvalidRequestException>(() => LocationList.Parse(["EU West"], "locations", known));
        Assert.Contains("not a location name", malformed.Message, StringComparison.Ordinal);

        Assert.Throws<InvalidRequestException>(() => LocationList.ParseField(" , ", "locations", known));
    }
}
