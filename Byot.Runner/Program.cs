using Byot.Runner;

var builder = Host.CreateApplicationBuilder(args);
builder.AddByotRunner();
builder.Build().Run();
