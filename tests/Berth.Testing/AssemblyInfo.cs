global using Xunit;

// Everything here drives Linux kernel interfaces; there is no other platform to support.
[assembly: System.Runtime.Versioning.SupportedOSPlatform("linux")]
