;;; test.el --- batch test of copydesk.el: eglot + flymake against `copydesk lsp'  -*- lexical-binding: t; -*-

;; emacs --batch -Q -l test.el, with COPYDESK_BIN, COPYDESK_WORK (a directory holding draft.md and
;; notes.txt, both saying NT$ where the source says US$), COPYDESK_SEEDS and COPYDESK_EL (the
;; directory of copydesk.el) in the environment. Opens each draft, lets `copydesk-setup' start
;; eglot, waits for flymake's diagnostics and checks the finding covers the figure, then calls
;; `copydesk-reload-corpus'; asks for the hover on the figure. Exits non-zero on failure.

(require 'cl-lib)
(add-to-list 'load-path (getenv "COPYDESK_EL"))
(require 'copydesk)

(defvar test-failures nil)
(defun test-check (ok message)
  (unless ok (push message test-failures))
  ok)

(setq copydesk-command (list (getenv "COPYDESK_BIN") "lsp")
      copydesk-corpus (list (getenv "COPYDESK_SEEDS"))
      copydesk-debounce-ms 0
      eglot-sync-connect t
      eglot-autoshutdown t
      flymake-no-changes-timeout 0.1)
;; Emacs has no Markdown mode of its own: read .md drafts in text-mode here.
(add-to-list 'auto-mode-alist '("\\.md\\'" . text-mode))
(copydesk-setup)

(defun test-wait (seconds predicate)
  (let ((deadline (+ (float-time) seconds)))
    (while (and (not (funcall predicate)) (< (float-time) deadline))
      (accept-process-output nil 0.1))
    (funcall predicate)))

(defun test-draft (name)
  (let* ((path (expand-file-name name (getenv "COPYDESK_WORK")))
         (buffer (find-file-noselect path)))
    (with-current-buffer buffer
      ;; eglot-ensure connects after the current command; batch Emacs runs no command loop.
      (run-hooks 'post-command-hook)
      (test-wait 20 #'eglot-current-server)
      (test-check (eglot-current-server) (format "%s: eglot did not start" name))
      (test-check (bound-and-true-p flymake-mode) (format "%s: flymake is off" name))
      ;; Flymake, too, defers its first check to the end of the current command.
      (flymake-start)
      (if (not (test-wait 30 (lambda () (run-hooks 'post-command-hook) (flymake-diagnostics))))
          (test-check nil (format "%s: no flymake diagnostics within 30 s" name))
        (let* ((d (car (flymake-diagnostics)))
               (text (buffer-substring-no-properties (flymake-diagnostic-beg d) (flymake-diagnostic-end d)))
               (message (flymake-diagnostic-text d)))
          (princ (format "%s: %S %S %S\n" name (flymake-diagnostic-type d) text message))
          (test-check (string-match-p "NT\\$" text) (format "%s: the diagnostic covers %S" name text))
          (test-check (string-match-p "unit-mismatch" message) (format "%s: not a unit-mismatch: %S" name message))
          (test-check (string-match-p "US\\$1\\.8 billion" message) (format "%s: the message lacks the source's figure" name))
          ;; Hover (what eldoc shows) on the figure: the source passage, its figure in bold.
          (goto-char (+ 2 (flymake-diagnostic-beg d)))
          (let* ((hover (jsonrpc-request (eglot-current-server) :textDocument/hover
                                         (eglot--TextDocumentPositionParams)))
                 (value (or (plist-get (plist-get hover :contents) :value) "")))
            (test-check (string-match-p "\\*\\*US\\$1\\.8 billion\\*\\*" value)
                        (format "%s: the hover lacks the source's figure in bold" name))
            (test-check (string-match-p "Powerchip Semiconductor" value)
                        (format "%s: the hover lacks the source passage" name))))))
    buffer))

(let ((md (test-draft "draft.md")))
  (test-draft "notes.txt")
  (with-current-buffer md
    (let ((documents (ignore-errors (copydesk-reload-corpus))))
      (princ (format "reload: %S documents\n" documents))
      (test-check (and (integerp documents) (> documents 0)) "copydesk-reload-corpus did not return a document count"))))

(if test-failures
    (progn (dolist (f (reverse test-failures)) (princ (format "FAIL: %s\n" f) #'external-debugging-output))
           (kill-emacs 1))
  (princ "ok: eglot runs copydesk in .md and .txt drafts, flymake shows the finding, the corpus reloads\n")
  (kill-emacs 0))
