# The trusted end of an R program's own tests (MultiPL-E): run as `Rscript tests.R main.R`,
# where main.R is the program, its tests (their `quit(...)` and `stopifnot(...)` made `base::…`, which a
# program cannot mask), then a call of the run's end function. The run's token
# ("<end function> <secret>", its whole stdin) is read before the program loads; the secret lives in the end function's closure. quit(), stop(), or a kill before the
# end never print it.
local({
  stdin <- file("stdin")
  token <- strsplit(trimws(readLines(stdin, warn = FALSE)[1L]), " ", fixed = TRUE)[[1L]]
  close(stdin)
  secret <- token[2L]
  assign(token[1L], function() {
    cat("\n", secret, "\n", sep = "")
    flush(stdout())
    base::quit(save = "no", status = 0L)
  }, envir = globalenv())
})
source(commandArgs(trailingOnly = TRUE)[1L])
base::quit(save = "no", status = 1L)  # the file ended before its end function ran
