using System.Runtime.CompilerServices;

// Blittable signatures only: every P/Invoke in this assembly is generated and allocation-free.
[assembly: DisableRuntimeMarshalling]
