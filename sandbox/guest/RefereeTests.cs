// The trusted end of a C# program's own tests (MultiPL-E). Compiled with the program (with
// DEBUG defined, so its Debug.Assert calls exist) and made the entry point, it reads the run's
// token ("<end function> <secret>", its whole stdin) before the program's code runs, makes a failed
// Debug.Assert throw (Mono's default listener only prints), runs the program's Main (its tests),
// and prints the secret only if Main returns (0, when it returns an int): Environment.Exit, an
// uncaught exception or a kill never print it.
using System;
using System.Diagnostics;
using System.Linq;
using System.Reflection;
using System.Text;

static class RefereeTests
{
    sealed class FailingListener : TraceListener
    {
        public override void Fail(string message, string detail) => throw new Exception("Debug.Assert failed " + message);
        public override void Write(string message) { }
        public override void WriteLine(string message) { }
    }

    static int Main()
    {
        string secret;
        secret = Console.In.ReadToEnd().Trim().Split(' ').Last();
        Trace.Listeners.Clear();
        Trace.Listeners.Add(new FailingListener());
        var flags = BindingFlags.Static | BindingFlags.Public | BindingFlags.NonPublic;
        MethodInfo main = typeof(RefereeTests).Assembly.GetTypes()
            .Where(t => t != typeof(RefereeTests) && t.DeclaringType != typeof(RefereeTests))
            .SelectMany(t => t.GetMethods(flags))
            .First(m => m.Name == "Main");
        object[] args = main.GetParameters().Length == 0 ? null : new object[] { new string[0] };
        object code;
        try
        {
            code = main.Invoke(null, args);
        }
        catch (TargetInvocationException e)
        {
            Console.Error.WriteLine(e.InnerException);
            return 1;
        }
        if (code is int status && status != 0)
            return status;
        Console.Out.Flush();
        Console.Out.Write("\n" + secret + "\n");
        Console.Out.Flush();
        return 0;
    }
}
