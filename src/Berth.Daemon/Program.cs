using Berth.Daemon;

return await DaemonCommandLine.RunAsync(args);
