# The trusted end of a Ruby program's own tests (MultiPL-E): run as `ruby tests.rb main.rb`,
# where main.rb is the program, its tests, then a call of the run's end function. The run's
# token ("<end function> <secret>", its whole stdin) is read before the program loads.
# Test::Unit cases run here, after the file (not in an at_exit hook, where an `exit` inside a
# test would end the run as a pass), with its assertions frozen against redefinition. The
# secret is printed only if the file reached its end and every case passed: `exit`, `exit!`,
# `abort`, an uncaught exception, a top-level return that skips the tests, or a kill never print it.
referee_out = $stdout.dup
referee_end, referee_secret = $stdin.read.to_s.split
referee_ended = false
Object.send(:define_method, referee_end) { referee_ended = true }
Object.send(:private, referee_end)
begin
  require "test/unit"
  Test::Unit::AutoRunner.need_auto_run = false  # the cases run below, not at exit
  Test::Unit::Assertions.freeze
rescue LoadError
end
referee_passed = begin
  load File.expand_path(ARGV.fetch(0))
  if defined?(Test::Unit::AutoRunner) && Test::Unit::TestCase::DESCENDANTS.any?
    Test::Unit::AutoRunner.need_auto_run = false
    Test::Unit::AutoRunner.run
  else
    true
  end
rescue SystemExit
  false
end
exit!(1) unless referee_passed && referee_ended
$stdout.flush
referee_out.write("\n#{referee_secret}\n")
referee_out.flush
exit!(0)
