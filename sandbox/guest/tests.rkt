#lang racket/base
;; The trusted end of a Racket program's own tests (MultiPL-E): run as `racket tests.rkt main.rkt`.
;; The run's token ("<end function> <secret>", its whole stdin) is read before the program loads;
;; the program's module, its rackunit tests included, is then instantiated, with every failed
;; check raised (rackunit's default handler only prints, and MultiPL-E reads stderr to see it),
;; and the secret is printed only if that returns: `exit`, an error, a failed check or a kill never
;; print it.
(require racket/port racket/string rackunit)
(define secret (let ([token (string-split (port->string (current-input-port)))])
                 (if (null? token) "" (car (reverse token)))))
(define program (vector-ref (current-command-line-arguments) 0))
(parameterize ([current-check-handler raise]
               [current-command-line-arguments (vector)])
  (dynamic-require (path->complete-path (string->path program)) #f))
(flush-output (current-output-port))
(write-string (string-append "\n" secret "\n") (current-output-port))
(flush-output (current-output-port))
