using Berth.Core.Content;
using Berth.Core.Images;
using Berth.Core.Snapshots;
using Berth.Daemon.Configuration;
using Berth.Daemon.Events;

namespace Berth.Daemon.Composition;

/// <summary>The stores an image backend is built from.</summary>
internal sealed record EngineParts(DaemonSettings Settings, IContentStore Content, ISnapshotter Snapshots, IImageStore Images, EventBus Events);
