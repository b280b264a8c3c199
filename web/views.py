"""Server-rendered pages. (Foundation placeholder: the pages issue builds these out.)"""

from django.http import HttpResponse
from django.shortcuts import get_object_or_404

from events.models import Actor, Event
from recommendations.models import Assignment, Recommendation


def _placeholder(model):
    def view(request, pk):
        return HttpResponse(str(get_object_or_404(model, pk=pk)))

    return view


event_detail = _placeholder(Event)
actor_detail = _placeholder(Actor)
recommendation_detail = _placeholder(Recommendation)
assignment_detail = _placeholder(Assignment)
