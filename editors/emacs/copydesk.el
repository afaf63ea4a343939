;;; copydesk.el --- copydesk lsp for Markdown and text drafts through eglot  -*- lexical-binding: t; -*-

;; Version: 0.1.0
;; Package-Requires: ((emacs "29.1"))
;; Keywords: tools, languages
;; SPDX-License-Identifier: MIT OR Apache-2.0

;;; Commentary:

;; Runs `copydesk lsp' with eglot (built into Emacs 29+) in Markdown and text buffers, so the
;; statistics in a draft are checked against the source articles: findings show as flymake
;; diagnostics, `eldoc' (hover) on a figure shows the source passage, `xref-find-definitions'
;; (M-.) opens it, and `eglot-code-actions' offers the source's wording.
;;
;;   (add-to-list 'load-path "/path/to/copydesk/editors/emacs")
;;   (require 'copydesk)
;;   (setq copydesk-corpus '("sources"))   ; optional: source articles
;;   (copydesk-setup)                       ; start eglot in .md and .txt buffers
;;
;; M-x copydesk-reload-corpus re-indexes the corpus.

;;; Code:

(require 'eglot)
(require 'jsonrpc)
(require 'cl-lib)

(defgroup copydesk nil
  "Check the statistics in drafts against source articles with copydesk."
  :group 'tools
  :prefix "copydesk-")

(defcustom copydesk-command '("copydesk" "lsp")
  "Command that starts the copydesk language server."
  :type '(repeat string))

(defcustom copydesk-corpus nil
  "Source articles: files or directories, absolute or relative to the project root.
nil uses the project's copydesk.toml, else the seed articles built into copydesk."
  :type '(repeat string))

(defcustom copydesk-debounce-ms nil
  "Milliseconds to wait after an edit before checking again; nil keeps the server's default."
  :type '(choice (const :tag "Server default" nil) integer))

(defcustom copydesk-modes '(markdown-mode gfm-mode markdown-ts-mode text-mode)
  "Major modes in which `copydesk-setup' starts the server."
  :type '(repeat symbol))

(defcustom copydesk-file-extensions '("md" "markdown" "txt")
  "File extensions of drafts; other files in `copydesk-modes' are left alone."
  :type '(repeat string))

(defclass copydesk-eglot-server (eglot-lsp-server) ()
  "An eglot server for copydesk, to pass its settings at initialization.")

(defun copydesk--settings ()
  "The settings as the server reads them, under a `copydesk' key."
  (let ((section nil))
    (when copydesk-corpus
      (setq section (plist-put section :corpus (vconcat copydesk-corpus))))
    (when copydesk-debounce-ms
      (setq section (plist-put section :debounceMs copydesk-debounce-ms)))
    (list :copydesk (or section (make-hash-table)))))

(cl-defmethod eglot-initialization-options ((_server copydesk-eglot-server))
  "Pass `copydesk-corpus' and `copydesk-debounce-ms' to the server."
  (copydesk--settings))

(defun copydesk--contact (&optional _interactive)
  "The eglot contact for copydesk."
  (cons 'copydesk-eglot-server copydesk-command))

(defun copydesk--register ()
  "Make eglot use copydesk in `copydesk-modes'."
  (setq eglot-server-programs
        (cl-remove-if (lambda (entry) (eq (cdr entry) #'copydesk--contact)) eglot-server-programs))
  (push (cons copydesk-modes #'copydesk--contact) eglot-server-programs))

(defun copydesk--draft-p ()
  "Non-nil when the current buffer visits a draft."
  (and buffer-file-name
       (member (file-name-extension buffer-file-name) copydesk-file-extensions)))

(defun copydesk-maybe-start ()
  "Start eglot with copydesk when the current buffer visits a draft."
  (when (and (copydesk--draft-p)
             (cl-some #'derived-mode-p copydesk-modes))
    (eglot-ensure)))

;;;###autoload
(defun copydesk-setup ()
  "Register copydesk with eglot and start it in Markdown and text drafts."
  (interactive)
  (copydesk--register)
  (dolist (mode copydesk-modes)
    (add-hook (intern (format "%s-hook" mode)) #'copydesk-maybe-start)))

(defun copydesk--server ()
  "The copydesk eglot server of the current buffer, or an error."
  (let ((server (eglot-current-server)))
    (unless (and server (cl-typep server 'copydesk-eglot-server))
      (user-error "No copydesk server in this buffer (M-x eglot, or `copydesk-setup')"))
    server))

;;;###autoload
(defun copydesk-reload-corpus ()
  "Ask the copydesk server to re-index the corpus; return the number of documents."
  (interactive)
  (let* ((result (jsonrpc-request (copydesk--server) :workspace/executeCommand
                                  '(:command "copydesk.reloadCorpus" :arguments [])))
         (documents (plist-get result :documents)))
    (message "copydesk: corpus reloaded, %s documents" documents)
    documents))

(copydesk--register)

(provide 'copydesk)
;;; copydesk.el ends here
