from django.contrib.auth.decorators import login_required
from django.shortcuts import render


@login_required
def inbox(request):
    notifications = request.user.notifications.all()[:50]
    return render(request, "realtime/inbox.html", {"notifications": notifications})
