-- The trusted end of a Lua program's own tests (MultiPL-E): run as `lua tests.lua main.lua`,
-- where main.lua is the program, its tests, then a call of the run's end function; the tests'
-- own `os.exit(status)` (luaunit's `os.exit(lu.LuaUnit.run())`) calls the end function with that
-- status instead, so a program that replaces os.exit cannot swallow a failure. The run's token
-- ("<end function> <secret>", its whole stdin) is read before the program loads; the
-- secret lives in this chunk's locals. It is printed only when the end function is called with
-- a passing status: os.exit, error, a top-level return that skips the tests, or a kill never print it.
local end_name, secret = (io.read("a") or ""):match("^(%S+) (%S+)")
local exit, stdout = os.exit, io.stdout

_G[end_name] = function(status)
  if status == nil or status == true or status == 0 then
    stdout:flush()
    stdout:write("\n", secret, "\n")
    stdout:flush()
    exit(0, true)
  end
  exit(status == false and 1 or status, true)
end

local program = arg[1]
arg = { [0] = program } -- the program's own command line: none (luaunit reads it as test names)
local ok, err = pcall(dofile, program)
if not ok then
  io.stderr:write(tostring(err), "\n")
  exit(1, true)
end
exit(1, true) -- the file returned before its end function ran
