using Byot.Runner;
using Byot.Runner.Network;

var install = args.Contains(EgressInstallCommand.Flag);
var builder = Host.CreateApplicationBuilder([.. args.Where(a => a != EgressInstallCommand.Flag)]);
builder.AddByotRunner();
using var host = builder.Build();
if (install)
{
    return await EgressInstallCommand.RunAsync(host.Services, CancellationToken.None);
}

await host.RunAsync();
return 0;
