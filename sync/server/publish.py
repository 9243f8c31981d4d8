"""(placeholder: being written)"""

from sqlite_utils.migrations import Migrations

migrations = Migrations("hq_publish")
