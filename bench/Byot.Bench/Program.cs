using Byot.Bench;

// dotnet run -c Release --project bench/Byot.Bench -- <name> [args…]; names come from BenchRegistry.
if (args.Length == 0 || !BenchRegistry.All.TryGetValue(args[0], out var bench))
{
    Console.Error.WriteLine($"usage: Byot.Bench <{string.Join('|', BenchRegistry.All.Keys)}> [args…]");
    return 2;
}

using var cancel = new CancellationTokenSource();
Console.CancelKeyPress += (_, e) =>
{
    e.Cancel = true;
    cancel.Cancel();
};
await BenchServices.StartAsync(cancel.Token);
var result = await bench(args[1..], cancel.Token);
Console.WriteLine(result);
return 0;
