"""Officers, contacts (people and organisations), their accounts and interactions

Revision ID: 0001
Revises: 
Create Date: 2026-11-24
"""

from collections.abc import Sequence

import sqlalchemy as sa
from alembic import op

import crm.models.base

revision: str = '0001'
down_revision: str | None = None
branch_labels: str | Sequence[str] | None = None
depends_on: str | Sequence[str] | None = None


def upgrade() -> None:
    op.create_table('localities',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_localities')),
    sa.UniqueConstraint('name', name=op.f('uq_localities_name'))
    )
    op.create_table('officers',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=False),
    sa.Column('name', sa.String(length=200), nullable=False),
    sa.Column('password_hash', sa.String(length=255), nullable=False),
    sa.Column('role', sa.Enum('admin', 'officer', name='officer_role', native_enum=False, create_constraint=True, length=30), nullable=False),
    sa.Column('is_active', sa.Boolean(), nullable=False),
    sa.Column('session_token', sa.String(length=64), nullable=False),
    sa.Column('created_at', crm.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_officers')),
    sa.UniqueConstraint('email', name=op.f('uq_officers_email')),
    sa.UniqueConstraint('session_token', name=op.f('uq_officers_session_token'))
    )
    op.create_table('interactions',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('post', 'meeting', 'call', 'email', 'event', 'coffee', 'social_reply', 'other', name='interaction_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('occurred_at', crm.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('text', sa.Text(), nullable=False),
    sa.Column('logged_by_id', sa.Integer(), nullable=True),
    sa.Column('platform', sa.Enum('x', 'mastodon', 'bluesky', 'rss', name='platform', native_enum=False, create_constraint=True, length=20), nullable=True),
    sa.Column('external_id', sa.String(length=100), nullable=True),
    sa.Column('author_platform_id', sa.String(length=100), nullable=True),
    sa.Column('author_handle', sa.String(length=200), nullable=True),
    sa.Column('url', sa.String(length=1000), nullable=True),
    sa.Column('sentiment_polarity', sa.Double(), nullable=True),
    sa.Column('sentiment_subjectivity', sa.Double(), nullable=True),
    sa.Column('created_at', crm.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.CheckConstraint("(kind = 'post' AND platform IS NOT NULL AND external_id IS NOT NULL) OR (kind <> 'post' AND external_id IS NULL)", name=op.f('ck_interactions_posts_have_their_key')),
    sa.ForeignKeyConstraint(['logged_by_id'], ['officers.id'], name=op.f('fk_interactions_logged_by_id_officers'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_interactions')),
    sa.UniqueConstraint('platform', 'external_id', name=op.f('uq_interactions_platform_external_id'))
    )
    with op.batch_alter_table('interactions', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_interactions_logged_by_id'), ['logged_by_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_interactions_occurred_at'), ['occurred_at'], unique=False)

    op.create_table('wards',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('locality_id', sa.Integer(), nullable=False),
    sa.Column('name', sa.String(length=120), nullable=False),
    sa.ForeignKeyConstraint(['locality_id'], ['localities.id'], name=op.f('fk_wards_locality_id_localities'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_wards')),
    sa.UniqueConstraint('locality_id', 'name', name=op.f('uq_wards_locality_id_name'))
    )
    op.create_table('contacts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('kind', sa.Enum('person', 'organisation', name='contact_kind', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('name', sa.String(length=300), nullable=False),
    sa.Column('email', sa.String(length=254), nullable=True),
    sa.Column('phone', sa.String(length=40), nullable=True),
    sa.Column('locality_id', sa.Integer(), nullable=True),
    sa.Column('ward_id', sa.Integer(), nullable=True),
    sa.Column('owner_id', sa.Integer(), nullable=True),
    sa.Column('created_at', crm.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('updated_at', crm.models.base.UTCDateTime(timezone=True), nullable=False),
    sa.Column('organisation_type', sa.Enum('charity', 'cio', 'community_group', 'faith_group', 'social_enterprise', 'cvs_infrastructure', 'public_body', 'school', name='organisation_type', native_enum=False, create_constraint=True, length=30), nullable=True),
    sa.Column('charity_number', sa.String(length=20), nullable=True),
    sa.Column('website', sa.String(length=500), nullable=True),
    sa.Column('description', sa.Text(), nullable=True),
    sa.Column('job_title', sa.String(length=200), nullable=True),
    sa.ForeignKeyConstraint(['locality_id'], ['localities.id'], name=op.f('fk_contacts_locality_id_localities'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['owner_id'], ['officers.id'], name=op.f('fk_contacts_owner_id_officers'), ondelete='SET NULL'),
    sa.ForeignKeyConstraint(['ward_id'], ['wards.id'], name=op.f('fk_contacts_ward_id_wards'), ondelete='SET NULL'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_contacts'))
    )
    with op.batch_alter_table('contacts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_contacts_locality_id'), ['locality_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_name'), ['name'], unique=False)
        batch_op.create_index(batch_op.f('ix_contacts_owner_id'), ['owner_id'], unique=False)

    op.create_table('affiliations',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('person_id', sa.Integer(), nullable=False),
    sa.Column('organisation_id', sa.Integer(), nullable=False),
    sa.Column('role', sa.String(length=200), nullable=False),
    sa.Column('started_on', sa.Date(), nullable=True),
    sa.Column('ended_on', sa.Date(), nullable=True),
    sa.CheckConstraint('ended_on IS NULL OR started_on IS NULL OR ended_on >= started_on', name=op.f('ck_affiliations_dates_in_order')),
    sa.ForeignKeyConstraint(['organisation_id'], ['contacts.id'], name=op.f('fk_affiliations_organisation_id_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['person_id'], ['contacts.id'], name=op.f('fk_affiliations_person_id_contacts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_affiliations'))
    )
    with op.batch_alter_table('affiliations', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_affiliations_organisation_id'), ['organisation_id'], unique=False)
        batch_op.create_index(batch_op.f('ix_affiliations_person_id'), ['person_id'], unique=False)

    op.create_table('interaction_contacts',
    sa.Column('interaction_id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_interaction_contacts_contact_id_contacts'), ondelete='CASCADE'),
    sa.ForeignKeyConstraint(['interaction_id'], ['interactions.id'], name=op.f('fk_interaction_contacts_interaction_id_interactions'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('interaction_id', 'contact_id', name=op.f('pk_interaction_contacts'))
    )
    with op.batch_alter_table('interaction_contacts', schema=None) as batch_op:
        batch_op.create_index('ix_interaction_contacts_contact_id', ['contact_id'], unique=False)

    op.create_table('social_accounts',
    sa.Column('id', sa.Integer(), nullable=False),
    sa.Column('contact_id', sa.Integer(), nullable=False),
    sa.Column('platform', sa.Enum('x', 'mastodon', 'bluesky', 'rss', name='platform', native_enum=False, create_constraint=True, length=20), nullable=False),
    sa.Column('platform_user_id', sa.String(length=100), nullable=False),
    sa.Column('handle', sa.String(length=200), nullable=False),
    sa.Column('is_official', sa.Boolean(), nullable=False),
    sa.ForeignKeyConstraint(['contact_id'], ['contacts.id'], name=op.f('fk_social_accounts_contact_id_contacts'), ondelete='CASCADE'),
    sa.PrimaryKeyConstraint('id', name=op.f('pk_social_accounts')),
    sa.UniqueConstraint('platform', 'platform_user_id', name=op.f('uq_social_accounts_platform_platform_user_id'))
    )
    with op.batch_alter_table('social_accounts', schema=None) as batch_op:
        batch_op.create_index(batch_op.f('ix_social_accounts_contact_id'), ['contact_id'], unique=False)


def downgrade() -> None:
    op.drop_table('social_accounts')
    op.drop_table('interaction_contacts')
    op.drop_table('affiliations')
    op.drop_table('contacts')
    op.drop_table('wards')
    op.drop_table('interactions')
    op.drop_table('officers')
    op.drop_table('localities')
