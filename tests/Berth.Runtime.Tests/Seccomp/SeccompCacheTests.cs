using Berth.Core.Errors;
using Berth.Runtime.Seccomp;
using Berth.Runtime.Spec;

namespace Berth.Runtime.Tests.Seccomp;

public sealed class SeccompCacheTests : IDisposable
{
    private readonly string _root = Directory.CreateTempSubdirectory("berth-seccomp-cache-").FullName;

    private string CacheDir => Path.Combine(_root, "@seccomp");

    public void Dispose() => Directory.Delete(_root, recursive: true);

    [Fact]
    public void The_first_compile_stores_the_program_and_the_next_reads_it_back()
    {
        var cache = new SeccompCache(CacheDir);
        SpecSeccomp profile = DefaultSeccompProfile.Create();

        byte[] first = cache.Compile(profile);

        string stored = Assert.Single(Directory.GetFiles(CacheDir));
        Assert.Equal(SeccompCache.FileNameOf(profile), Path.GetFileName(stored));
        Assert.Equal(SeccompCompiler.Compile(profile), first);
        byte[] file = File.ReadAllBytes(stored);
        Assert.Equal(first, file[^first.Length..]);

        // Proof that the file is what the next compile returns: a different (valid) program put in its place.
        byte[] other = SeccompCompiler.Compile(DefaultSeccompProfile.Create(["CAP_SYS_ADMIN"]));
        File.WriteAllBytes(stored, [.. file[..^first.Length], .. other]);
        Assert.Equal(other, new SeccompCache(CacheDir).Compile(DefaultSeccompProfile.Create()));
    }

    [Fact]
    public void Any_change_to_what_decides_the_program_gives_another_entry()
    {
        SpecSeccomp Variant(Action<SpecSeccomp> change)
        {
            SpecSeccomp profile = DefaultSeccompProfile.Create();
            change(profile);
            return profile;
        }

        string[] names =
        [
            SeccompCache.FileNameOf(Variant(_ => { })),
            SeccompCache.FileNameOf(Variant(p => p.DefaultErrnoRet = 38)),
            SeccompCache.FileNameOf(Variant(p => p.DefaultAction = "SCMP_ACT_KILL")),
            SeccompCache.FileNameOf(Variant(p => p.Architectures = ["SCMP_ARCH_X86_64"])),
            SeccompCache.FileNameOf(Variant(p => p.Syscalls![0].Names.RemoveAt(0))),
            SeccompCache.FileNameOf(Variant(p => p.Syscalls!.First(s => s.Args is { Count: > 0 }).Args![0].Value ^= 1)),
            SeccompCache.FileNameOf(Variant(p => p.Syscalls!.First(s => s.Args is { Count: > 0 }).Args![0].Op = "SCMP_CMP_NE")),
        ];

        Assert.Equal(names.Length, names.Distinct(StringComparer.Ordinal).Count());
        Assert.Equal(names[0], SeccompCache.FileNameOf(DefaultSeccompProfile.Create()));
    }

    [Fact]
    public void A_file_under_the_right_name_holding_another_profiles_program_is_not_used()
    {
        SpecSeccomp profile = DefaultSeccompProfile.Create(), other = DefaultSeccompProfile.Create(["CAP_SYS_ADMIN"]);
        new SeccompCache(CacheDir).Compile(other);
        // What a hash collision would look like: the other profile's entry under this profile's name.
        File.Move(Path.Combine(CacheDir, SeccompCache.FileNameOf(other)), Path.Combine(CacheDir, SeccompCache.FileNameOf(profile)));

        Assert.Equal(SeccompCompiler.Compile(profile), new SeccompCache(CacheDir).Compile(profile));
    }

    [Fact]
    public void A_damaged_entry_is_compiled_again_and_an_unusable_directory_only_skips_the_cache()
    {
        SpecSeccomp profile = DefaultSeccompProfile.Create();
        byte[] expected = SeccompCompiler.Compile(profile);
        new SeccompCache(CacheDir).Compile(profile);
        File.WriteAllBytes(Assert.Single(Directory.GetFiles(CacheDir)), [1, 2, 3]);

        Assert.Equal(expected, new SeccompCache(CacheDir).Compile(profile));

        string notADirectory = Path.Combine(_root, "file");
        File.WriteAllText(notADirectory, "");
        Assert.Equal(expected, new SeccompCache(Path.Combine(notADirectory, "@seccomp")).Compile(profile));
    }

    [Fact]
    public void A_refused_profile_is_refused_as_before_and_leaves_nothing()
    {
        SpecSeccomp profile = DefaultSeccompProfile.Create();
        profile.DefaultAction = "SCMP_ACT_NOPE";

        Assert.Throws<BerthException>(() => new SeccompCache(CacheDir).Compile(profile));

        Assert.False(Directory.Exists(CacheDir) && Directory.EnumerateFileSystemEntries(CacheDir).Any());
    }
}
