"""Content changes renew the cached pages and the searchable body of an article."""

from django.db.models.signals import post_delete, post_save
from django.dispatch import receiver

from . import selectors
from .models import Article, InformationSource, Step


@receiver([post_save, post_delete], sender=Article)
@receiver([post_save, post_delete], sender=InformationSource)
def content_changed(sender, **kwargs):
    selectors.forget_cached_content()


@receiver([post_save, post_delete], sender=Step)
def step_changed(sender, instance, raw=False, **kwargs):
    if raw:
        return
    article = Article.objects.filter(pk=instance.article_id).first()
    if article is not None:
        article.refresh_search_text()
    selectors.forget_cached_content()
