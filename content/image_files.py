"""Picture files follow the database transaction of the row that names them.

Storage is not transactional: a file written while a row is saved stays when that transaction
rolls back, and a file the row stops naming stays until something deletes it. So, with any storage
backend (only its ``save`` and ``delete`` are used):

- the files written for a row's picture are *pending* until the transaction ends: kept when it
  commits, deleted when it (or the savepoint they were written in) rolls back;
- the files of a picture the row no longer names are deleted once that change has committed
  (``transaction.on_commit``), never before, so a rollback keeps the picture that is still live.

Django calls back on commit but has no rollback hook. Pending files therefore carry an
``on_commit`` callback that marks them kept; a rollback makes Django drop that callback. ``settle``
looks at each pending group whose callback is neither run nor still waiting, asks the row which
files it names (a rolled-back row names none of them) and deletes the others. It runs when the
outermost save of a picture ends and when a request finishes: a preview's rolled-back save, an
admin save that failed after the picture was stored, anything that stored files and saved nothing.
Code outside a request that rolls back a transaction of its own around a picture's save (a
management command, say) calls ``settle()`` after it.
"""

import logging
import threading

from django.db import DatabaseError, connections, transaction

logger = logging.getLogger(__name__)
_state = threading.local()


class _Written:
    """The files one save wrote for one picture, and whether their transaction committed."""

    def __init__(self, instance, field_name, renditions_name, storage, using):
        self.instance, self.field_name, self.renditions_name = instance, field_name, renditions_name
        self.storage, self.using = storage, using
        self.names = []
        self.committed = False

    def commit(self):
        self.committed = True

    def waiting(self):
        hooks = connections[self.using].run_on_commit
        return any(hook == self.commit for _, hook, _ in hooks)

    def named_by_row(self):
        from .images import picture_files

        model = type(self.instance)
        row = (
            model._base_manager.using(self.using)
            .filter(pk=self.instance.pk)
            .values_list(self.field_name, self.renditions_name)
            .first()
        )
        return set() if row is None else {row[0]} | picture_files(row[1])


def _pending():
    if not hasattr(_state, "pending"):
        _state.pending = []
    return _state.pending


def track(instance, field_name, renditions_name, storage, using):
    """Start a group of files written for ``instance``'s picture in the current transaction.

    Call inside the ``atomic`` block that saves the row; append each file's name to the list
    returned as soon as the file exists.
    """
    written = _Written(instance, field_name, renditions_name, storage, using)
    transaction.on_commit(written.commit, using=using)
    _pending().append(written)
    return written.names


def delete_on_commit(storage, names, using):
    """Delete these files once the current transaction commits; keep them if it rolls back."""
    names = sorted(name for name in names if name)
    if names:
        transaction.on_commit(lambda: delete(storage, names), using=using, robust=True)


def delete(storage, names):
    for name in names:
        try:
            storage.delete(name)
        except Exception:
            # A file that stays is litter; a save or a page that fails over it would be worse.
            logger.exception("Could not delete the picture file %s", name)


def settle(**_signal_arguments):
    """Delete the pending files whose transaction ended without committing them."""
    still_pending = []
    for written in _pending():
        if written.committed:
            continue
        if written.waiting():
            still_pending.append(written)
            continue
        try:
            named = written.named_by_row()
        except DatabaseError:
            # The connection is in a transaction that failed and is not over yet: decide later.
            still_pending.append(written)
            continue
        delete(written.storage, [name for name in written.names if name not in named])
    _state.pending = still_pending


def forget():
    """Drop every pending group without deleting anything (for a test whose storage goes away)."""
    _state.pending = []
