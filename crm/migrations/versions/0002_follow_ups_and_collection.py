"""Follow-ups, and the collectors' cursors and run records

Revision ID: 0002
Revises: 0001
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crm.models.base

revision: str = '0002'
down_revision: str | None = '0001'
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('collector_cursors',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=50), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=False),
    sa.Column('position', sa.String(length=200), nullable=False),
    sa.Column('updated_at', crm.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collector_cursors')),
    sa.UniqueConstraint('source', 'target', name=op.f('uq_collector_cursors_source_target'))
    )
    op.create_table('collector_runs',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('source', sa.String(length=50), nullable=False),
    sa.Column('target', sa.String(length=200), nullable=False),
    sa.Column('started_at', crm.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('finished_at', crm.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.Column('status', sa.Enum('running', 'ok', 'partial', 'failed', 'skipped', name='run_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('pages', sa.Integer(), nullable=False),
    sa.Column('fetched', sa.Integer(), nullable=False),
    sa.Column('new', sa.Integer(), nullable=False),
    sa.Column('duplicates', sa.Integer(), nullable=False),
    sa.Column('error', sa.Text(), nullable=True),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_collector_runs'))
    )
    with op.batch_alter_table('collector_runs', schema=None) as batch_op:
        batch_op.create_index('ix_collector_runs_source_started_at', ['source', 'started_at'], unique=False)

    op.create_table('follow_ups',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('interaction_id', sa.Integer(), nullable=True),
    sa.Column('assignee_id', sa.Integer(), nullable=True),
    sa.Column('created_by_id', sa.Integer(), nullable=True),
    sa.Column('due_on', sa.Date(), nullable=False),
    sa.Column('note', sa.Text(), nullable=False),
    sa.Column('status', sa.Enum('open', 'done', 'dismissed', name='follow_up_status', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('created_at', crm.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('completed_at', crm.models.base.UTCDateTime(timezone=True), nullable=True),
    sa.ForeignKeyConstraint(['assignee_id'], ['officers.id'], name=op.f('fk_follow_ups_assignee_id_officers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_follow_ups_contact_id_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['created_by_id'], ['officers.id'], name=op.f('fk_follow_ups_created_by_id_officers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_follow_ups_interaction_id_interactions'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_follow_ups'))
    )
    with op.batch_alter_table('follow_ups', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_follow_ups_assignee_id'), ['assignee_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_follow_ups_contact_id'), ['contact_id'], unique=False)
        batch_op.create_index('ix_follow_ups_status_due_on', ['status', 'due_on'], unique=False)


def downgrade() -> None:
    op.drop_table('follow_ups')
    op.drop_table('collector_runs')
    op.drop_table('collector_cursors')
